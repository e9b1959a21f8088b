"""One row per rule the task-line parsers promise (issue: "From lines to tasks")."""

from datetime import date

import pytest

from taskocr.config import DateOrder
from taskocr.extract.correct import find_person, match_person
from taskocr.extract.dates import parse_due_date
from taskocr.extract.fields import (
    fold_confusables,
    find_assignee,
    parse_assignee,
    parse_marker,
    parse_priority,
    strip_field_debris,
)
from taskocr.model import Priority

REF = date(2025, 12, 3)  # a Wednesday


@pytest.mark.parametrize(
    "text, bulleted, done, rest",
    [
        ("- Buy milk", True, None, "Buy milk"),
        ("— Buy milk", True, None, "Buy milk"),
        ("– Buy milk", True, None, "Buy milk"),
        ("• Buy milk", True, None, "Buy milk"),
        ("* Buy milk", True, None, "Buy milk"),
        ("· Buy milk", True, None, "Buy milk"),
        ("1. Buy milk", True, None, "Buy milk"),
        ("12) Buy milk", True, None, "Buy milk"),
        ("a) Buy milk", True, None, "Buy milk"),
        ("[ ] Buy milk", True, False, "Buy milk"),
        ("[] Buy milk", True, False, "Buy milk"),
        ("[x] Buy milk", True, True, "Buy milk"),
        ("[X] Buy milk", True, True, "Buy milk"),
        ("☐ Buy milk", True, False, "Buy milk"),
        ("☑ Buy milk", True, True, "Buy milk"),
        ("✓ Buy milk", True, True, "Buy milk"),
        ("✔ Buy milk", True, True, "Buy milk"),
        ("- [x] Buy milk", True, True, "Buy milk"),
        ("Buy milk ✓", False, True, "Buy milk"),
        ("Buy milk", False, None, "Buy milk"),
        ("-Buy milk", True, None, "Buy milk"),
        ("2024 budget review", False, None, "2024 budget review"),
        ("I. Buy milk", True, None, "Buy milk"),  # "1." read as "I."
        (". Buy milk", True, None, "Buy milk"),  # "•" read as "."
        ("Buy milk √", False, True, "Buy milk"),
        ("✓ a) Buy milk", True, True, "Buy milk"),  # a tick written before the number
        ("[J Buy milk", True, False, "Buy milk"),  # hand-drawn empty boxes as OCR reads them
        ("CJ Buy milk", True, False, "Buy milk"),
        ("s. Buy milk", True, None, "Buy milk"),  # "5." read as "s."
        ("[I Buy milk", True, False, "Buy milk"),  # "]" read as "I"
        ("[xI Buy milk", True, True, "Buy milk"),
        ("x closures", True, True, "closures"),  # a bullet journal's cross: done
        ("X standup", True, True, "standup"),
        ("> env time script", True, None, "env time script"),  # migrated: still to do
        ("< Planificar curso", True, None, "Planificar curso"),  # scheduled: still to do
        ("* x writing with an editor", True, True, "writing with an editor"),
        ("x-ray the parcel", False, None, "x-ray the parcel"),  # a word, not a mark
        ("X 2 eggs", False, None, "X 2 eggs"),
        ("xii) medicines", True, None, "medicines"),  # roman numerals number a list too
        ("iv. Call the bank", True, None, "Call the bank"),
        ("mix the paint", False, None, "mix the paint"),
    ],
)
def test_marker(text, bulleted, done, rest):
    m = parse_marker(text)
    assert (m.bulleted, m.done, m.rest) == (bulleted, done, rest)


@pytest.mark.parametrize(
    "text, name, rest",
    [
        ("Get approval → Hasan", "Hasan", "Get approval"),
        ("Get approval -> Hasan", "Hasan", "Get approval"),
        ("Get approval => Hasan", "Hasan", "Get approval"),
        ("Get approval ~> Hasan", "Hasan", "Get approval"),
        ("Get approval -7 Hasan", "Hasan", "Get approval"),
        ("Get approval (Hasan)", "Hasan", "Get approval"),
        ("Get approval [Hasan]", "Hasan", "Get approval"),
        ("Get approval @hasan", "Hasan", "Get approval"),
        ("Get approval assigned to: Hasan", "Hasan", "Get approval"),
        ("Get approval owner: Hasan", "Hasan", "Get approval"),
        ("Get approval Owner Hasan", "Hasan", "Get approval"),
        ("@Ana book the room", "Ana", "book the room"),
        ("Get approval", None, "Get approval"),
        ("Check (today)", None, "Check (today)"),
        ("Fix login -> Mary Jane", "Mary Jane", "Fix login"),
        ("Fix login →> Omar", "Omar", "Fix login"),
        ("Fix login => (iam", "Iam", "Fix login"),
        ("Fix login ->.Rosa", "Rosa", "Fix login"),
        ("Buy bin bags— Liam", "Liam", "Buy bin bags"),
        ("clean up the garage - Diego", "Diego", "clean up the garage"),
        ("ASK THE LANDLORD- HASAN", "Hasan", "ASK THE LANDLORD"),
        ("walk to the post office assigned to. Viktor", "Viktor", "walk to the post office"),
        ("Review numbers assigned ta Arjun", "Arjun", "Review numbers"),
        ("Draft the grant Owner. Arjun", "Arjun", "Draft the grant"),
        ("Finish the album [ElenaI", "Elena", "Finish the album"),
        ("Fix the login bug > Viktor", "Viktor", "Fix the login bug"),
        ("Follow-up call with Dana", None, "Follow-up call with Dana"),
        ("Approve the vendor contract", None, "Approve the vendor contract"),
        ("Set up the guest wifi onner Omar", "Omar", "Set up the guest wifi"),
        ("Check the delivery status CBen]", "Ben", "Check the delivery status"),
        ("book the venue CNina", "Nina", "book the venue"),
        ("Email the venue (0aniel)", "0aniel", "Email the venue"),  # a capital read as a digit
        ("Plan the retro @7atima", "7atima", "Plan the retro"),
        ("Print (2nd copy)", None, "Print (2nd copy)"),
        ("PICK UP THE CAKE", None, "PICK UP THE CAKE"),
        ("SCHEDULE THE WINDOW CLEANER", None, "SCHEDULE THE WINDOW CLEANER"),
    ],
)
def test_assignee(text, name, rest):
    found = find_assignee(text)
    assert (found.name, found.rest) == (name, rest)


@pytest.mark.parametrize(
    "text, priority, rest",
    [
        ("Fix the leak !!!", Priority.URGENT, "Fix the leak"),
        ("Fix the leak!!!", Priority.URGENT, "Fix the leak"),
        ("URGENT: fix the leak", Priority.URGENT, "fix the leak"),
        ("Fix the leak asap", Priority.URGENT, "Fix the leak"),
        ("Fix the leak (critical)", Priority.URGENT, "Fix the leak"),
        ("Fix the leak !!", Priority.HIGH, "Fix the leak"),
        ("Fix the leak !", Priority.HIGH, "Fix the leak"),
        ("Fix the leak - high", Priority.HIGH, "Fix the leak"),
        ("Important: fix the leak", Priority.HIGH, "fix the leak"),
        ("Fix the leak high priority", Priority.HIGH, "Fix the leak"),
        ("Fix the leak low", Priority.LOW, "Fix the leak"),
        ("Fix the leak (minor)", Priority.LOW, "Fix the leak"),
        ("Fix the leak whenever", Priority.LOW, "Fix the leak"),
        ("someday: learn piano", Priority.LOW, "learn piano"),
        ("Fix the leak p1", Priority.URGENT, "Fix the leak"),
        ("P2 fix the leak", Priority.HIGH, "fix the leak"),
        ("Fix the leak p3", Priority.MEDIUM, "Fix the leak"),
        ("Fix the leak (p4)", Priority.LOW, "Fix the leak"),
        ("Fix the leak pl", Priority.URGENT, "Fix the leak"),  # p1 read as pl
        ("SET UP THE PRINTER PZ", Priority.HIGH, "SET UP THE PRINTER"),  # p2 read as PZ
        ("GET FEEDBACK FROM DESIGN-P4", Priority.LOW, "GET FEEDBACK FROM DESIGN"),
        ("Write the tests RosaP2", Priority.HIGH, "Write the tests Rosa"),
        ("Plan the holiday [Noor]AsAP", Priority.URGENT, "Plan the holiday [Noor]"),
        ("Use the e-p2 form", None, "Use the e-p2 form"),
        ("Fix p2p sync", None, "Fix p2p sync"),
        ("Buy bin bags p/", Priority.URGENT, "Buy bin bags"),  # p1 with the 1 as a slash
        ("urgent Schedule the dentist", Priority.URGENT, "Schedule the dentist"),  # colon lost
        ("low hanging fruit", None, "low hanging fruit"),
        ("Low Energy bulbs", None, "Low Energy bulbs"),
        ("Urgent care visit", None, "Urgent care visit"),
        ("!!!Schedule the dentist", Priority.URGENT, "Schedule the dentist"),
        ("URGENT. Pick up the dog", Priority.URGENT, "Pick up the dog"),
        ("Prepare questions URGEN'T", Priority.URGENT, "Prepare questions"),  # misread word
        ("FEED THE STARTER MINOTR", Priority.LOW, "FEED THE STARTER"),
        ("Vacuum the car criticat", Priority.URGENT, "Vacuum the car"),
        ("Fix the leak", None, "Fix the leak"),
        ("Review low-risk items", None, "Review low-risk items"),
        ("Follow up on the high street lease", None, "Follow up on the high street lease"),
    ],
)
def test_priority(text, priority, rest):
    assert parse_priority(text) == (priority, rest)


@pytest.mark.parametrize(
    "text, order, due, rest",
    [
        ("Get approval 17/12/2025", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 12/17/2025", "dmy", date(2025, 12, 17), "Get approval"),  # impossible as d/m
        ("Get approval 12/17/2025", "mdy", date(2025, 12, 17), "Get approval"),
        ("Get approval 05/12/2025", "dmy", date(2025, 12, 5), "Get approval"),
        ("Get approval 05/12/2025", "mdy", date(2025, 5, 12), "Get approval"),
        ("Get approval 2025-12-17", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 17.12.2025", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 17.12.", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 17/12/25", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval Dec 17", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 17 Dec", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 17th December 2026", "dmy", date(2026, 12, 17), "Get approval"),
        ("Get approval Jan 5", "dmy", date(2026, 1, 5), "Get approval"),  # next one after REF
        ("Get approval by Feb I", "dmy", date(2026, 2, 1), "Get approval"),  # 1 read as I
        ("PLAN MEALS BY FEB 1O", "dmy", date(2026, 2, 10), "PLAN MEALS"),  # 0 read as O
        ("Prepare the material Decll", "dmy", date(2025, 12, 11), "Prepare the material"),
        ("Confirm the booking 2,Aug", "dmy", date(2026, 8, 2), "Confirm the booking"),
        ("call mum duc: 14 Mar", "dmy", date(2026, 3, 14), "call mum"),
        ("Call the dealer next weck", "dmy", date(2025, 12, 10), "Call the dealer"),
        ("Collect responses by o411212o25", "dmy", date(2025, 12, 4), "Collect responses"),
        ("Wash the windows11 Mar", "dmy", date(2026, 3, 11), "Wash the windows"),
        ("get feedback from design 29Aug", "dmy", date(2026, 8, 29), "get feedback from design"),
        ("Fix flaky tests due3/3/2025", "dmy", date(2025, 3, 3), "Fix flaky tests"),
        ("Buy B12 pills", "dmy", None, "Buy B12 pills"),
        ("Draft the email byThursday", "dmy", date(2025, 12, 4), "Draft the email"),
        ("Prepare the board deck todal", "dmy", REF, "Prepare the board deck"),
        ("Get cash Due z3/8", "dmy", date(2026, 8, 23), "Get cash"),
        ("Get approval Friday", "dmy", date(2025, 12, 5), "Get approval"),
        ("Get approval by Friday", "dmy", date(2025, 12, 5), "Get approval"),
        ("Get approval by Wednesday", "dmy", date(2025, 12, 10), "Get approval"),  # not today
        ("THE SUN EATER: EMPIRE OF SILENCE", "dmy", None, "THE SUN EATER: EMPIRE OF SILENCE"),  # a word
        ("Call Ana Fri", "dmy", date(2025, 12, 5), "Call Ana"),  # a short weekday at the end is one
        ("Gym on Wed evening", "dmy", date(2025, 12, 10), "Gym evening"),
        ("Get approval today", "dmy", REF, "Get approval"),
        ("Get approval tomorrow", "dmy", date(2025, 12, 4), "Get approval"),
        ("Get approval next week", "dmy", date(2025, 12, 10), "Get approval"),
        ("Get approval due 5/12", "dmy", date(2025, 12, 5), "Get approval"),
        ("Get approval due 20/1", "dmy", date(2026, 1, 20), "Get approval"),
        ("Get approval 17112/2025", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 17l12/2025", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 17|12|2025", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval 17/1212025", "dmy", date(2025, 12, 17), "Get approval"),
        ("Get approval due ZI/12", "dmy", date(2025, 12, 21), "Get approval"),  # 2 read as Z
        ("Get approval 14/03/2O25", "dmy", date(2025, 3, 14), "Get approval"),
        ("Merge the upgrade by 2024–09–24", "dmy", date(2024, 9, 24), "Merge the upgrade"),  # en dashes
        ("PAY THE TEACHER OY/O3/ZOZ7", "dmy", date(2027, 3, 4), "PAY THE TEACHER"),  # 4 read as Y
        ("Schedule the kickoff 29Nou", "dmy", date(2026, 11, 29), "Schedule the kickoff"),  # misread month
        ("Mow the lawn by Aog 11", "dmy", date(2026, 8, 11), "Mow the lawn"),
        ("Ask about the hedge due. teb 19", "dmy", date(2026, 2, 19), "Ask about the hedge"),
        ("FOLLOW UP IO MARV", "dmy", date(2026, 3, 10), "FOLLOW UP"),
        ("CLEAN THE KEYBOARD DUE JUN 2Y", "dmy", date(2026, 6, 24), "CLEAN THE KEYBOARD"),
        ("finish the page Ootober 1st", "dmy", date(2026, 10, 1), "finish the page"),
        ("Buy 1 can of paint", "dmy", None, "Buy 1 can of paint"),  # a month only next to a day at the end
        ("Call 3 men", "dmy", None, "Call 3 men"),
        ("Buy 2 can", "dmy", None, "Buy 2 can"),
        ("Plan the retro by 2025-0408", "dmy", date(2025, 4, 8), "Plan the retro"),  # a dash lost
        ("Draft the email by 2025-07-181", "dmy", date(2025, 7, 18), "Draft the email"),  # "!" as 1
        ("Release 2025-12", "dmy", None, "Release 2025-12"),
        ("Fix I/O errors", "dmy", None, "Fix I/O errors"),
        ("Get approval", "dmy", None, "Get approval"),
        ("Print 20 copies", "dmy", None, "Print 20 copies"),
        ("Book 3-4 rooms", "dmy", None, "Book 3-4 rooms"),
        ("Order 2 monitors", "dmy", None, "Order 2 monitors"),
    ],
)
def test_due_date(text, order, due, rest):
    assert parse_due_date(text, REF, DateOrder(order)) == (due, rest)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Hasan", "Hasan"),
        ("Hasn", "Hasan"),
        ("hasan", "Hasan"),
        ("Ama", "Ana"),
        ("Tomas", "Tomás"),
        ("Zebedee", None),
    ],
)
def test_roster_match(name, expected):
    assert match_person(name, ("Hasan", "Ana", "Tomás", "Priya")) == expected


def test_bare_roster_name_ending_a_long_line_is_the_assignee():
    people = ("Ravi", "Ana")
    assert find_person("mow the back lawn Ravi", people) == ("Ravi", "mow the back lawn")
    assert find_person("have lunch with Ravi", people) == (None, "have lunch with Ravi")


def test_roster_leaves_a_name_alone_when_two_people_fit():
    assert match_person("Jon", ("John", "Joan")) is None


@pytest.mark.parametrize(
    "text, person, rest",
    [
        ("Get approval 7 Hasan", "Hasan", "Get approval"),
        ("Get approval 7Hasan", "Hasan", "Get approval"),
        ("Get approval ~ Hasn", "Hasan", "Get approval"),
        ("Get approval from the board", None, "Get approval from the board"),
        ("Email Hasan", None, "Email Hasan"),
        ("Compare broadband dealsHasan", "Hasan", "Compare broadband deals"),  # run into a word
        ("Submit the visa form eHasan", "Hasan", "Submit the visa form"),  # @ read as a letter
        ("Order dog food—ana", "Ana", "Order dog food"),
        ("Order dog food0na", None, "Order dog food0na"),  # too short to say
        ("Order dog food4ana", None, "Order dog food4ana"),
        ("Order dog food0lga", "Olga", "Order dog food"),  # a capital O read as 0
        ("Feed-the cat Hasan", "Hasan", "Feed-the cat"),
        ("Eat a banana", None, "Eat a banana"),  # a word that ends in a name is a word
        ("Write the parser—HasanP2", None, "Write the parser—HasanP2"),  # not a bare name
    ],
)
def test_find_person_behind_a_misread_arrow(text, person, rest):
    assert find_person(text, ("Hasan", "Ana", "Olga")) == (person, rest)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Write the postmortem due 1o/", "Write the postmortem"),
        ("Update the price list oue lbno", "Update the price list"),
        ("Email the supplier owuer", "Email the supplier"),
        ("BUY BATTERIES ouner.", "BUY BATTERIES"),
        ("Cook on your own", "Cook on your own"),
        ("Set up the new laptop Assigued to", "Set up the new laptop"),
        ("Send the surveylinkAssignedto", "Send the surveylink"),
        ("Pay the club dues", "Pay the club dues"),
        ("Reply to the invitation", "Reply to the invitation"),
    ],
)
def test_unreadable_field_words_do_not_stay_in_the_title(text, expected):
    assert strip_field_debris(text) == expected


def test_letters_from_other_scripts_are_folded():
    assert fold_confusables("asaρ: Аna") == "asap: Ana"


@pytest.mark.parametrize(
    "text,weak",
    [
        ("Get approval -> Hasan", False),
        ("Plan the retro @fatima", False),
        ("Set up the wifi owner: Omar", False),
        ("Plan trip to Nice (France)", True),
        ("Buy bin bags — Liam", True),
        ("Fix login bug -> see ticket", True),
    ],
)
def test_brackets_dashes_and_lower_case_after_an_arrow_need_the_roster(text, weak):
    assert find_assignee(text).weak is weak
    assert (parse_assignee(text)[0] is None) is (weak and "->" not in text)


@pytest.mark.parametrize(
    "text,done,rest",
    [
        ("日 ADD TO BRAG", True, "ADD TO BRAG"),  # a box with a tick inside, read as a CJK glyph
        ("田Call Bob", True, "Call Bob"),
        ("个 gratitude", None, "gratitude"),  # a bullet read as a CJK glyph
        ("我 - Nach Wohnungen", None, "Nach Wohnungen"),  # a glyph, then the dash after it
        ("口 Buy milk", False, "Buy milk"),  # an empty box
        ("日本 trip", None, "日本 trip"),  # written text, not a mark
    ],
)
def test_a_mark_read_as_one_cjk_glyph_before_latin_text_is_a_marker(text, done, rest):
    m = parse_marker(text)
    assert (m.done, m.rest) == (done, rest)


def test_calendar_labels_in_the_languages_pages_are_read_in():
    from taskocr.extract.dates import is_calendar_label

    for label in ("Febrero", "Montag", "Monday 25", "juillet", "Sonntag", "March"):
        assert is_calendar_label(label), label
    for text in ("call mom", "Sunday brunch with Ana", "Mar", "Marcus", ""):
        assert not is_calendar_label(text), text
