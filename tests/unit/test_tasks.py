"""Lines → tasks: rows, headings, continuations and fields together."""

from datetime import date

from taskocr.config import DateOrder
from taskocr.extract.layout import group_rows
from taskocr.extract.tasks import ExtractOptions, extract_tasks, mark_drawn_boxes
from taskocr.model import BBox, Line, LineKind, Priority, Reading

REF = date(2025, 12, 3)
OPTS = ExtractOptions(ref_date=REF, date_order=DateOrder.DMY, correct_words=False)
# brackets name a person only when the roster knows them
TEAM = ExtractOptions(ref_date=REF, date_order=DateOrder.DMY, correct_words=False, people=("Ana", "Tom", "Hasan"))


def line(text, x, y, w=None, h=40, conf=0.95, kind=LineKind.TEXT):
    return Line(text, conf, BBox(x, y, w or len(text) * 18, h), kind)


def test_fragments_on_one_visual_line_are_merged_in_reading_order():
    lines = [
        line("→ Hasan 17/12/2025", 520, 108, h=44),  # right half, sits a little lower
        line("- Get approval", 100, 100),
        line("- Book the venue", 100, 180),
    ]
    rows = group_rows(lines)
    assert [r.text for r in rows] == ["- Get approval → Hasan 17/12/2025", "- Book the venue"]


def test_stacked_fragments_stay_separate_lines():
    rows = group_rows([line("- first", 100, 100), line("- second", 110, 125, h=40)])
    assert len(rows) == 2


def test_heading_task_and_continuation():
    lines = [
        line("TODO List", 100, 40, h=60),
        line("- Get approval", 100, 120),
        line("→ Hasan 17/12/2025", 420, 122),
        line("from the finance team", 160, 170),
        line("- [x] Book the venue (Ana) !!", 100, 240),
        line("- Call the printer low", 100, 310),
    ]
    tasks = extract_tasks(lines, TEAM)
    assert [t.title for t in tasks] == ["Get approval", "Book the venue", "Call the printer"]
    first, second, third = tasks
    assert first.assignee == "Hasan" and first.due == date(2025, 12, 17)
    assert first.description == "from the finance team"
    assert first.bbox.y2 >= 170 + 40 - 1  # the continuation's box is part of the task's
    assert second.done and second.assignee == "Ana" and second.priority is Priority.HIGH
    assert third.priority is Priority.LOW and not third.done
    assert [t.position for t in tasks] == [0, 1, 2]


def test_a_list_without_bullets_is_one_task_per_line():
    lines = [line("Buy milk", 100, 100), line("Call mum tomorrow", 100, 170), line("Pay rent !!", 100, 240)]
    tasks = extract_tasks(lines, OPTS)
    assert [t.title for t in tasks] == ["Buy milk", "Call mum", "Pay rent"]
    assert tasks[1].due == date(2025, 12, 4)


def test_heading_forms():
    lines = [
        line("Action items:", 100, 40),
        line("- Send minutes", 100, 110),
        line("Monday", 100, 180),
        line("- Gym", 100, 250),
    ]
    assert [t.title for t in extract_tasks(lines, OPTS)] == ["Send minutes", "Gym"]


def _titles_under(top):
    """Task titles of a three-line list with ``top`` written above it."""
    lines = [top, line("Buy milk", 100, 160), line("Pay rent", 100, 230), line("Fix the gate", 100, 300)]
    return [t.title for t in extract_tasks(lines, OPTS)]


def test_a_short_line_set_off_above_the_list_is_its_heading_whatever_its_words():
    # none of these words is a known heading word; the gap under the line marks it
    assert _titles_under(line("Odds and ends", 100, 40)) == ["Buy milk", "Pay rent", "Fix the gate"]
    # written well right of the list's margin, with no gap, it is a heading too
    assert _titles_under(line("Odds and ends", 400, 90)) == ["Buy milk", "Pay rent", "Fix the gate"]


def test_a_short_task_on_top_stays_a_task_even_when_set_off():
    for top in ("Buy bread", "Call Ana tomorrow", "Renew passport"):
        names = _titles_under(line(top, 100, 40))
        assert len(names) == 4 and names[1:] == ["Buy milk", "Pay rent", "Fix the gate"], top


def test_layout_engine_headings_are_not_tasks():
    lines = [line("Sprint goals", 100, 40, kind=LineKind.HEADING), line("- Ship login", 100, 110)]
    assert [t.title for t in extract_tasks(lines, OPTS)] == ["Ship login"]


def test_stray_marks_are_ignored():
    lines = [line("-", 100, 40, w=20), line("- Ship login", 100, 110), line("·", 600, 400, w=10)]
    assert [t.title for t in extract_tasks(lines, OPTS)] == ["Ship login"]


def test_roster_repairs_a_garbled_name_and_keeps_unknown_ones():
    lines = [line("- Get approval -> Hasn", 100, 100), line("- Order chairs -> Zebedee", 100, 170)]
    tasks = extract_tasks(lines, ExtractOptions(ref_date=REF, people=("Hasan", "Ana"), correct_words=False))
    assert [t.assignee for t in tasks] == ["Hasan", "Zebedee"]


def test_confidence_comes_from_the_recogniser():
    tasks = extract_tasks([line("- Ship login", 100, 100, conf=0.61)], OPTS)
    assert abs(tasks[0].confidence - 0.61) < 1e-9


def test_a_ticked_box_read_as_a_letter_in_a_list_of_boxes():
    lines = [
        line("□ Share the slide deck", 100, 100),
        line("M Approve the vendor contract", 100, 170),
        line("□ Merge the feature branch", 100, 240),
    ]
    tasks = extract_tasks(lines, OPTS)
    assert [(t.title, t.done) for t in tasks] == [
        ("Share the slide deck", False), ("Approve the vendor contract", True), ("Merge the feature branch", False),
    ]


def test_continuation_found_when_small_bullets_were_lost():
    lines = [
        line("confirm the flight times 11.9.", 357, 524, h=39),
        line("remember the loyalty card", 385, 566, h=34),
        line("walk to the post office", 350, 610, h=40),
        line("fix flaky tests", 346, 680, h=35),
    ]
    tasks = extract_tasks(lines, OPTS)
    assert [t.title for t in tasks] == ["confirm the flight times", "walk to the post office", "fix flaky tests"]
    assert tasks[0].description == "remember the loyalty card"


def test_first_short_unbulleted_line_of_a_bulleted_list_is_its_title():
    lines = [line("Release checklist", 100, 40), line("- Tag the build", 100, 110), line("- Write notes", 100, 180)]
    assert [t.title for t in extract_tasks(lines, OPTS)] == ["Tag the build", "Write notes"]


def test_crossed_out_rows_are_done():
    lines = [line("- Book the venue", 100, 100), line("- Call the printer", 100, 170)]
    tasks = extract_tasks(lines, OPTS, struck=lambda box: box.y < 150)
    assert [t.done for t in tasks] == [True, False]


def test_short_lines_naming_a_list_are_headings():
    for heading in ("Release checklist", "Team tasks", "FOLLOW UPS", "Housework"):
        lines = [line(heading, 100, 40), line("Tag the build", 100, 110), line("Write notes", 100, 180)]
        assert [t.title for t in extract_tasks(lines, OPTS)] == ["Tag the build", "Write notes"], heading
    lines = [line("Buy groceries", 100, 40), line("Tag the build", 100, 110)]
    assert [t.title for t in extract_tasks(lines, OPTS)] == ["Buy groceries", "Tag the build"]


def test_a_misread_date_word_is_found_once_other_fields_are_gone():
    tasks = extract_tasks([line("- CANCEL THE DOMAIN TOMOTRROW (ANA)", 100, 100)], TEAM)
    assert (tasks[0].title, tasks[0].due, tasks[0].assignee) == ("CANCEL THE DOMAIN", date(2025, 12, 4), "Ana")


def test_an_unbulleted_line_with_fields_is_a_task_not_a_description():
    lines = [
        line("- Drop off the spare key", 100, 100),
        line("check the receipt first", 150, 160),
        line("Collect the rent deposit @chloe due May 8", 130, 220),
        line("- Order office chairs", 100, 280),
    ]
    tasks = extract_tasks(lines, OPTS)
    assert [t.title for t in tasks] == ["Drop off the spare key", "Collect the rent deposit", "Order office chairs"]
    assert tasks[0].description == "check the receipt first"


def test_in_a_sentence_case_list_a_lower_case_line_is_a_description():
    lines = [
        line("Buy batteries by 12 Aug", 100, 100),
        line("link in the team chat", 104, 170),
        line("Follow up on the job offer", 100, 240),
        line("Email the supplier", 100, 310),
    ]
    tasks = extract_tasks(lines, OPTS)
    assert [t.title for t in tasks] == ["Buy batteries", "Follow up on the job offer", "Email the supplier"]
    assert tasks[0].description == "link in the team chat"
    lower = [line("buy batteries", 100, 100), line("call the bank", 100, 170), line("pay rent", 100, 240)]
    assert len(extract_tasks(lower, OPTS)) == 3  # a list written all in lower case keeps its tasks


def test_a_row_without_a_word_is_not_a_task():
    # figures, a formula, initials: on a list they are misread marks or margin notes
    rows = ["- 9~10vs", "- 1021 fw", "- 8+p→n++}o~10-28", "- Go to the ATM", "- Fix TV", "- Pay 3 bills 17/12"]
    tasks = extract_tasks([line(t, 100, 100 + 70 * i) for i, t in enumerate(rows)], OPTS)
    assert [t.title for t in tasks] == ["Go to the ATM", "Fix TV", "Pay 3 bills"]


def test_title_words_are_kept_as_read():
    # an English lexicon repairing words split "Schweden" into "Sch we den" and "corrected"
    # "hohen" to "cohen" on German lists; words are only ever chosen among the engine's readings
    on = ExtractOptions(ref_date=REF, date_order=DateOrder.DMY)
    for text in ("- Schweden planen", "- Kartoffeln hohen", "- Packthekitchen boxes", "- Get approva1"):
        tasks = extract_tasks([Line(text, 0.7, BBox(100, 100, 600, 40))], on)
        assert [t.title for t in tasks] == [text[2:]]


def test_a_box_seen_on_the_page_goes_in_front_of_its_line_once():
    lines = [Line("Buy a keg", 0.9, BBox(100, 100, 300, 40), alternatives=(Reading("Buy a kag", 0.8),)),
             Line("Ride on a boat", 0.9, BBox(100, 160, 300, 40)),
             Line("[x] Call Ana", 0.9, BBox(100, 220, 300, 40)),
             Line("Notes", 0.9, BBox(100, 280, 300, 40))]
    seen = {100: True, 160: False, 220: False}  # y -> the box drawn there (none on the last line)
    marked = mark_drawn_boxes(lines, lambda box: seen.get(box.y))
    assert [ln.text for ln in marked] == ["[x] Buy a keg", "[ ] Ride on a boat", "[x] Call Ana", "Notes"]
    assert marked[0].alternatives[0].text == "[x] Buy a kag"
    assert [(t.title, t.done) for t in extract_tasks(marked, OPTS)][:3] == [
        ("Buy a keg", True), ("Ride on a boat", False), ("Call Ana", True)]
