"""Pages as real handwriting comes: running text, notes on a board, columns, day plans, and
ordinary words that look like fields."""

from __future__ import annotations

from datetime import date

import pytest

from taskocr.config import DateOrder
from taskocr.extract.fields import parse_marker
from taskocr.extract.layout import group_blocks, group_rows, split_columns
from taskocr.extract.page import PageKind, page_kind
from taskocr.extract.tasks import ExtractOptions, extract_tasks, pick_layout, read_page
from taskocr.model import BBox, Line, Reading

REF = date(2026, 1, 10)
OPTS = ExtractOptions(ref_date=REF, date_order=DateOrder.DMY, correct_words=False)
TEAM = ExtractOptions(ref_date=REF, date_order=DateOrder.DMY, correct_words=False,
                      people=("Ana", "Tom", "Hasan", "Aykut", "Liam", "Olga"))


def line(text, x, y, w=None, h=40):
    return Line(text, 0.9, BBox(x, y, w or 22 * len(text), h))


PROSE = [
    "Yesterday I walked down to the market with my",
    "sister and we bought apples, pears and a loaf",
    "of bread. The sun was out for the first time",
    "in weeks, so we sat by the river and talked",
    "about the summer, the garden and the old house.",
    "It was a lovely day and I wanted to write it down.",
]


def _prose_lines(texts, x=100, width=1000):
    return [line(t, x, 100 + 60 * i, w=width - (300 if i == len(texts) - 1 else 10 * (i % 2))) for i, t in enumerate(texts)]


def test_a_page_of_prose_yields_no_tasks():
    assert extract_tasks(_prose_lines(PROSE), OPTS) == []


def test_running_text_keeps_its_explicit_action_items():
    lines = _prose_lines(PROSE) + [line("TODO: send the photos to Ana", 100, 480), line("[ ] book the train", 100, 540),
                                   line("Tom to send the deck by Friday", 100, 600)]
    tasks = extract_tasks(lines, TEAM)
    assert [t.title for t in tasks] == ["send the photos to Ana", "book the train", "send the deck"]
    assert tasks[1].done is False
    assert (tasks[2].assignee, tasks[2].due) == ("Tom", date(2026, 1, 16))


def test_a_list_stays_a_list():
    texts = ["Groceries", "milk", "eggs", "bread", "2 lemons", "washing up liquid", "coffee beans"]
    rows = group_rows([line(t, 100, 100 + 60 * i) for i, t in enumerate(texts)])
    assert page_kind([(r, parse_marker(r.text)) for r in rows]) is PageKind.LIST
    long_items = ["- Write the quarterly report for the finance team", "- Book flights and the hotel for the offsite",
                  "- Ask Tom about the new laptop budget next week", "- Renew the parking permit before it runs out",
                  "- Fix the leaking tap in the upstairs bathroom"]
    assert len(extract_tasks([line(t, 100, 100 + 60 * i, w=1000) for i, t in enumerate(long_items)], OPTS)) == 5


JOURNAL = [  # a diary kept in a narrow column: short rows, but sentences
    "Ardis is sick this morning", "With a bad ear-ache", "She is resting at the", "Moment. Here are three",
    "Or four of the boys", "In the yard with Tom", "Mother came for tea", "Rain all day again",
]


def test_a_journal_in_short_rows_is_running_text():
    rows = group_rows([line(t, 100, 100 + 60 * i, w=22 * len(t)) for i, t in enumerate(JOURNAL)])
    assert page_kind([(r, parse_marker(r.text)) for r in rows]) is PageKind.TEXT
    lines = [line(t, 100, 100 + 60 * i, w=22 * len(t)) for i, t in enumerate(JOURNAL)]
    assert [t.title for t in extract_tasks(lines + [line("TODO: call the doctor", 100, 100 + 60 * len(JOURNAL))], OPTS)] == [
        "call the doctor"]
    assert len(extract_tasks(lines, OPTS)) == 0
    # the same row lengths holding to-do items stay a list
    todo = ["Call the doctor at nine", "Buy bread and the milk", "Pay the gas bill online", "Book a table for Friday",
            "Return the library books", "Ask about the new car", "Fix the kitchen drawer", "Water the garden"]
    rows = group_rows([line(t, 100, 100 + 60 * i, w=22 * len(t)) for i, t in enumerate(todo)])
    assert page_kind([(r, parse_marker(r.text)) for r in rows]) is PageKind.LIST


@pytest.mark.parametrize("texts, kind", [
    # an Italian page of instructions in capitals: no English word holds it together
    (["PUNTALE NERO SEMPRE SU COM", "IL ROSSO SU V PER LA TENSIONE", "QUESTO NEL CASO CHE TI SERVE",
      "NON LE USI MAI PER LE PILE", "LE MISURE DI CORRENTE SONO", "FATTE IN SERIE AL CIRCUITO"], PageKind.TEXT),
    (["Ich habe heute den Keller", "aufgeräumt und es war viel", "mehr als ich dachte, aber",
      "wir sind fertig und er hat", "dann noch den Rasen gemäht", "weil es nicht mehr regnet"], PageKind.TEXT),
    # lists in those languages, whose words include articles and prepositions, stay lists
    (["Einkaufen", "Milch und Eier", "Brot vom Bäcker", "Telekom kündigen", "Reifen wechseln",
      "Steuererklärung machen"], PageKind.LIST),
    (["Courses", "pain de mie", "lait de coco", "du beurre", "les pommes", "car wash"], PageKind.LIST),
    # a page of working is notes
    (["Moisture deficit = 65 - 40 = 25 %", "Pump time = 120 s x 25 %", "Volume = 30 s x 1.6 mL/s",
      "Threshold = 65 %", "Max volume = 200 mL", "Flow rate ~ 1.6 mL/s"], PageKind.TEXT),
    # dates, ranges and arrows are a list's, not working
    (["Get approval -> Hasan 17/12/2025", "Send invoice 18/12/2025", "Call Ana 10-12 Jan",
      "Order parts 2/1/2026", "Vacuum the stairs => Emeka", "Draft the plan 20/12"], PageKind.LIST),
    (["Get quotes for the roof => Amara", "Ask dad about the ladder => Emeka", "Bring the charger => Ana",
      "Tidy the kids' room => Emeka", "Share the survey results => Tom", "Water the plants => Ana"], PageKind.LIST),
], ids=["italian-sentences", "german-sentences", "german-list", "french-list", "working", "dated-list",
        "arrow-list"])
def test_other_languages_and_working_in_the_page_decision(texts, kind):
    rows = group_rows([line(t, 100, 100 + 60 * i, w=22 * len(t)) for i, t in enumerate(texts)])
    assert page_kind([(r, parse_marker(r.text)) for r in rows]) is kind


def test_a_box_or_bullet_in_the_middle_of_a_row_starts_another_item():
    rows = [("[ ] finish screens", None), ("[ ] re-record voiceover", "[ ] Sassy DC"), ("[ ] search options", None),
            ("[ ] app stills", "• poster"), ("[ ] Book flights", "- both ways")]
    lines = []
    for i, (left, right) in enumerate(rows):
        lines.append(line(left, 100, 100 + 60 * i))
        if right:
            lines.append(line(right, 100 + 22 * len(left) + 30, 100 + 60 * i))
    titles = [t.title for t in extract_tasks(lines, OPTS)]
    assert titles == ["finish screens", "re-record voiceover", "Sassy DC", "search options", "app stills", "poster",
                      "Book flights - both ways"]


def test_a_lone_word_off_the_lists_margins_is_a_label_not_a_task():
    items = ["Calibrate the stereo camera", "Write the Kalman filter", "Test the gripper", "Plan the path"]
    lines = [line(t, 100, 100 + 60 * i) for i, t in enumerate(items)]
    # words of a diagram drawn under the list, off its margin
    labels = [line("Robot", 20, 340), line("Vision", 40, 400), line("Target", 520, 460)]
    assert [t.title for t in extract_tasks(lines + labels, OPTS)] == items
    assert [t.position for t in extract_tasks(lines + labels, OPTS)] == [0, 1, 2, 3]
    # a lone word with a bullet, or a list of single words at one margin, are items
    assert [t.title for t in extract_tasks(lines + [line("- Vision", 40, 400)], OPTS)][-1] == "Vision"
    words = ["Milk", "Eggs", "Bread", "Apples", "Coffee"]
    assert [t.title for t in extract_tasks([line(t, 100, 100 + 60 * i) for i, t in enumerate(words)], OPTS)] == words


def _note(words_rows, x, y):
    return [line(t, x, y + 45 * i, w=150) for i, t in enumerate(words_rows)]


def test_notes_on_a_board_are_one_task_each_and_column_labels_are_not_tasks():
    lines = [line("To Do", 100, 20, w=120), line("Doing", 500, 20, w=120), line("Done", 900, 20, w=120)]
    lines += _note(["USE", "KANBAN"], 100, 120) + _note(["TRY", "KANBAN", "TOOL"], 100, 320)
    lines += _note(["LEARN", "ABOUT", "KANBAN"], 500, 120) + _note(["GET SOME", "STICKY", "NOTES!"], 900, 120)
    lines += _note(["GET A", "WHITE-", "BOARD"], 900, 330)
    titles = sorted(t.title for t in extract_tasks(lines, OPTS))
    assert titles == ["GET A WHITE- BOARD", "GET SOME STICKY NOTES", "LEARN ABOUT KANBAN", "TRY KANBAN TOOL", "USE KANBAN"]


@pytest.mark.parametrize("columns", [
    ((100, 120), (500, 120), (900, 120)),
    # written close together across the top: the detector reads the labels as one row, which
    # is three labels, not a task
    ((100, 200), (330, 220), (580, 120)),
], ids=["apart", "one-row"])
def test_notes_in_a_done_column_are_done(columns):
    (x1, w1), (x2, w2), (x3, w3) = columns
    lines = [line("To Do", x1, 20, w=w1), line("Doing", x2, 20, w=w2), line("Done", x3, 20, w=w3)]
    lines += _note(["BUY", "BULBS"], x1, 120) + _note(["CALL", "BOB"], x2, 120)
    lines += _note(["EMAIL", "MIKE"], x3, 120) + _note(["RENEW", "SKYPE"], x3 - 30, 330)
    tasks = {t.title: t.done for t in extract_tasks(lines, OPTS)}
    assert tasks == {"BUY BULBS": False, "CALL BOB": False, "EMAIL MIKE": True, "RENEW SKYPE": True}


def test_a_chore_board_with_misread_verbs_is_still_a_board_of_tasks():
    lines = _note(["Vacoum", "Hall"], 100, 120) + _note(["Sweap", "Kitchen"], 500, 120)
    lines += _note(["Roomy", "Closet"], 100, 400) + _note(["Enpty", "Dishwasher"], 500, 400)
    assert len(extract_tasks(lines, OPTS)) == 4
    # a board of topics stays one: its notes name things, they do not say what to do
    topics = _note(["INTRO", "BENEFITS"], 100, 120) + _note(["DESIGN", "PRINCIPLES"], 500, 120)
    topics += _note(["BIG", "PICTURES"], 100, 400) + _note(["CLOSE", "Resources"], 500, 400)
    assert extract_tasks(topics, OPTS) == []


def test_a_board_of_notes_in_german_says_what_to_do_at_the_end_of_each_note():
    lines = _note(["Keller", "aufräumen"], 100, 120) + _note(["Oma", "anrufen"], 500, 120)
    lines += _note(["Winterreifen", "wechseln"], 100, 400) + _note(["Fahrrad", "Reparatur"], 500, 400)
    assert sorted(t.title for t in extract_tasks(lines, OPTS)) == [
        "Fahrrad Reparatur", "Keller aufräumen", "Oma anrufen", "Winterreifen wechseln"]


def test_a_planner_page_with_month_labels_around_its_list_is_a_list_not_a_board():
    # a Spanish planner: the year, the months of the quarter and a column of three items
    # stand apart like notes, but the list under "Enero" holds most of the writing
    items = ["- Planificar y estructurar curso de git", "- Estudiar para el examen", "- Tomar foto de perfil",
             "- Cortarme el cabello", "- Pulsera de cuero", "- Base para laptop", "- Terminar libro de Oscar Wilde"]
    lines = [line("Enero", 100, 100, w=110)] + [line(t, 100, 160 + 50 * i, w=700) for i, t in enumerate(items)]
    lines += [line("2019", 1600, 40, w=100), line("Abril", 1300, 100, w=110), line("Mayo", 1300, 500, w=100),
              line("Junio", 1300, 900, w=110), line("Febrero", 100, 700, w=160), line("Marzo", 100, 900, w=130)]
    lines += _note(["Encuadernar", "libro de notas"], 900, 160)
    assert not any(b.note for b in group_blocks(lines))  # a page, not a board of topics
    titles = [t.title for t in extract_tasks(lines, OPTS)]
    assert titles[:7] == [t[2:] for t in items]
    # the months, in whatever language, head the writing around them: none is a task
    assert not {"Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio"} & set(titles)
    # a board of sticky notes has no such block: it stays a board
    board = _note(["CALL", "BOB"], 100, 120) + _note(["PAY", "RENT"], 500, 120)
    board += _note(["BUY", "BULBS"], 100, 420) + _note(["EMAIL", "JOAN"], 500, 420)
    assert all(b.note for b in group_blocks(board))


def test_a_planner_spread_keeps_its_two_pages_apart():
    # a two-page planner: day numbers, weekday labels and week numbers stand apart like notes,
    # one page holds most of the writing; rows level across the two pages are not one row
    left = ["[x] Imprimir dibujo", "[x] Mail Martijn proyecto", "[x] Laundry and cleaning",
            "[x] Star clusters papers folder", "[ ] Letters training session", "[x] Buy new frames",
            "[x] Comprar marcos para fotos", "[ ] Organizar writing blocks", "[x] Imprimir papers refs"]
    # the right page's boxes were not read: its rows are plain
    right = ["Read astro-ph", "Blackboard Dutch course", "Dutch homework", "Call the bank"]
    lines = [line(t, 100, 300 + 50 * i, w=650) for i, t in enumerate(left)]
    lines += [line(t, 1300, 300 + 50 * i, w=650) for i, t in enumerate(right)]
    for x, label in ((100, "5"), (300, "SUNDAY"), (700, "217"), (1300, "6"), (1500, "MONDAY"), (1900, "218")):
        lines.append(line(label, x, 60, w=22 * len(label)))
    pages = group_blocks(lines)  # each page with the labels over it
    assert [len(b.rows) for b in pages] == [len(left) + 3, len(right) + 3] and not any(b.note for b in pages)
    titles = [t.title for t in extract_tasks(lines, OPTS)]
    assert titles == [t.removeprefix("[x] ").removeprefix("[ ] ") for t in left + right]


def test_a_list_in_columns_a_word_apart_is_read_column_by_column():
    left = ["create layer comps", "film in store", "finish screens", "back end of slide switch", "burn CD"]
    right = ["finish style guide", "finish stationery", "record fruit voice", "print activity book"]
    # the detector boxes each column's piece of a row apart, a line height or so between them
    lines = [line(f"- {t}", 100, 100 + 50 * i, w=460) for i, t in enumerate(left)]
    lines += [line(f"- {t}", 600 - 4 * i, 100 + 50 * i, w=400) for i, t in enumerate(right)]
    assert len(group_rows(lines)) == 5  # level pieces share a row
    assert [t.title for t in extract_tasks(lines, OPTS)] == left + right
    # a long column is one column, however many of its rows were cut
    long = [line(f"- left item {i}", 100, 100 + 50 * i, w=460) for i in range(10)]
    long += [line(f"- right item {i}", 600, 100 + 50 * i, w=400) for i in range(10)]
    assert [len(column) for column in split_columns(group_rows(long))] == [10, 10]
    # a column of dates written level, row after row, stays with its rows
    dated = [line(f"- {t}", 100, 100 + 50 * i, w=460) for i, t in enumerate(left[:4])]
    dated += [line(f"{d}/03", 620, 100 + 50 * i, w=100) for i, d in enumerate((12, 14, 18, 20))]
    assert [(t.title, t.due.day) for t in extract_tasks(dated, OPTS)] == list(zip(left[:4], (12, 14, 18, 20)))


def test_notes_written_one_word_to_a_line_are_still_notes():
    lines = _note(["DRAFT", "POST", "ON", "EVERNOTE", "KANBAN"], 100, 120) + _note(["CALL", "BOB"], 500, 120)
    lines += _note(["EMAIL", "JOAN", "RE", "NEW", "CARDS"], 100, 420) + _note(["BUY", "BULBS"], 500, 420)
    assert sorted(t.title for t in extract_tasks(lines, OPTS)) == [
        "BUY BULBS", "CALL BOB", "DRAFT POST ON EVERNOTE KANBAN", "EMAIL JOAN RE NEW CARDS"]


def test_a_board_is_read_in_the_widened_segmentation_and_other_pages_in_the_first():
    # unwidened, the detector joins the writing of notes that stand close into long lines
    joined = [line("EMAIL JOAN BUY", 100, 120, w=550), line("RE CARDS BULBS", 100, 165, w=550)]
    notes = _note(["EMAIL", "JOAN", "RE CARDS"], 100, 120) + _note(["BUY", "BULBS"], 500, 120)
    notes += _note(["CALL", "BOB"], 100, 420) + _note(["PAY", "RENT"], 500, 420)
    layout = pick_layout(joined, tuple(notes))
    assert list(layout.tasks) == notes
    assert sorted(t.title for t in extract_tasks(list(layout.tasks), OPTS)) == [
        "BUY BULBS", "CALL BOB", "EMAIL JOAN RE CARDS", "PAY RENT"]
    # the page's text stays the first reading's, whose boxes read better
    assert list(layout.text) == joined
    # a list stays in the first reading, whatever the widened one made of it
    items = [line(t, 100, 100 + 60 * i, w=500) for i, t in enumerate(["- Call the bank", "- Pay the rent"])]
    pieces = [line(t, 100, 100 + 60 * i, w=500) for i, t in enumerate(["- Cal the bank", "- Pay the"])]
    assert list(pick_layout(items, tuple(pieces)).tasks) == items == list(pick_layout(items, tuple(pieces)).text)
    assert list(pick_layout(items).tasks) == items == list(pick_layout(items).text)


def test_a_checkbox_only_the_widened_reading_boxed_goes_back_in_front_of_its_line():
    # unwidened, the box and the words came in one box and the recogniser dropped the box
    lines = [line("Find screen", 325, 221, w=152, h=26), line("Add to brag", 325, 260, w=171, h=26),
             line("Call Bob", 325, 299, w=120, h=26)]
    wide = (line("区", 328, 225, w=19, h=22), line("Find screen", 353, 221, w=123, h=25),
            line("日", 327, 264, w=21, h=21), line("Add to brag", 355, 260, w=140, h=24),
            line("Call Bob", 325, 299, w=120, h=26), line("x", 700, 400, w=15, h=20))
    picked = pick_layout(lines, wide)
    assert [ln.text for ln in picked.tasks] == ["区 Find screen", "日 Add to brag", "Call Bob"]
    assert picked.text == picked.tasks
    assert [(t.title, t.done) for t in extract_tasks(list(picked.tasks), OPTS)] == [
        ("Find screen", True), ("Add to brag", True), ("Call Bob", False)]


def test_a_tick_another_reading_kept_marks_the_row_done():
    rows = [Line("Vim stuff", 0.9, BBox(100, 100, 300, 40), alternatives=(Reading("X Vim stoff", 0.8),)),
            Line("Build a CLI", 0.9, BBox(100, 160, 300, 40), alternatives=(Reading("Bulld a CLI", 0.8),)),
            line("Write the docs", 100, 220, w=300)]
    assert [(t.title, t.done) for t in extract_tasks(rows, OPTS)] == [
        ("Vim stuff", True), ("Build a CLI", False), ("Write the docs", False)]


def test_a_row_read_unsure_is_a_task_only_when_something_marks_it_as_one():
    def unsure(text, y):
        return Line(text, 0.62, BBox(100, y, 22 * len(text), 40))

    rows = [line("Call the bank", 100, 100), unsure("Wcxl mnnr", 160), line("Pay the rent", 100, 220),
            unsure("Fix the gate by 12/01", 280), unsure("Mow lawn Hasan", 340)]
    got = extract_tasks(rows, TEAM)
    assert [t.title for t in got] == ["Call the bank", "Pay the rent", "Fix the gate", "Mow lawn"]
    assert [t.position for t in got] == [0, 1, 2, 3]
    # a bullet or a checkbox marks it too, however it was read
    bulleted = [line("- Call the bank", 100, 100), unsure("- Wcxl mnnr", 160), unsure("[ ] Pay the rnt", 220)]
    assert [t.title for t in extract_tasks(bulleted, OPTS)] == ["Call the bank", "Wcxl mnnr", "Pay the rnt"]
    # so do four dictionary words: that is writing read unsure, not a doodle; three are not enough
    worded = [line("Call the bank", 100, 100), unsure("Check cable to modem now", 160),
              unsure("Prep lord for Dawnig", 220), line("Pay the rent", 100, 280)]
    assert [t.title for t in extract_tasks(worded, OPTS)] == ["Call the bank", "Check cable to modem now", "Pay the rent"]


def test_a_month_alone_on_its_line_heads_a_monthly_log():
    rows = [line("March", 100, 100), line("- Finish the tax return", 100, 160), line("- Book the MOT", 100, 220)]
    assert [t.title for t in extract_tasks(rows, OPTS)] == ["Finish the tax return", "Book the MOT"]
    # a month in a task is still a task
    rows = [line("- Plan the March offsite", 100, 100), line("- Pay rent", 100, 160)]
    assert [t.title for t in extract_tasks(rows, OPTS)] == ["Plan the March offsite", "Pay rent"]


def test_a_list_in_lower_case_without_markers_is_a_list():
    # each row opens with what to do; the one checkbox was lost; rows run long like prose
    texts = ["book the meeting room due 4/9 Daniel", "set up the monitoring alerts low",
             "water the hanging baskets (Lucas)", "finish the chapter draft Lucas",
             "book flights to lisbon Due 2026-08-30", "i ask for a pay review", "clean the keyboard (Daniel)",
             "print two copies", "water the plants Due 11 March", "call the dentist -> Daniel p3"]
    lines = [line(t, 100, 100 + 60 * i, w=900) for i, t in enumerate(texts)]
    assert page_kind([(r, parse_marker(r.text)) for r in group_rows(lines)]) is PageKind.LIST
    assert len(extract_tasks(lines, OPTS)) == 10
    # the same rows as sentences in the middle of a paragraph are text
    rows = group_rows(_prose_lines([t.replace(t.split()[0], "and the", 1) for t in PROSE[:5]]))
    assert page_kind([(r, parse_marker(r.text)) for r in rows]) is PageKind.TEXT


STUDY_NOTES = ["Photosynthesis in the leaf", "- light reactions in thylakoids", "Calvin cycle fixes carbon",
               "ATP and NADPH as carriers", "chlorophyll absorbs red light", "- stomata close in the heat"]


def test_notes_in_bullet_points_give_only_what_is_marked_as_a_task():
    lines = [line(t, 100, 100 + 60 * i) for i, t in enumerate(STUDY_NOTES)]
    assert page_kind([(r, parse_marker(r.text)) for r in group_rows(lines)]) is PageKind.NOTES
    assert extract_tasks(lines, TEAM) == []
    extra = [line("TODO: read chapter 4", 100, 500), line("- Ana to bring the slides by Friday", 100, 560),
             line("- Calvin cycle in C4 plants", 100, 620)]
    tasks = extract_tasks(lines + extra, TEAM)
    assert [(t.title, t.assignee) for t in tasks] == [("read chapter 4", None), ("bring the slides", "Ana")]
    assert tasks[1].due == date(2026, 1, 16)
    # the same rows without bullets are taken as a plain list, which has nothing else to mark
    # its rows; a list of short items in bullets is a list
    bare = [line(t.lstrip("- "), 100, 100 + 60 * i) for i, t in enumerate(STUDY_NOTES)]
    assert page_kind([(r, parse_marker(r.text)) for r in group_rows(bare)]) is PageKind.LIST
    todo = ["- Call the plumber", "- milk and eggs", "- Renew passport", "- Tom's birthday card", "- gym bag"]
    assert len(extract_tasks([line(t, 100, 100 + 60 * i) for i, t in enumerate(todo)], OPTS)) == 5


@pytest.mark.parametrize("texts", [
    ["Wohnung putzen gehen", "Oma anrufen wegen Sonntag", "Rechnung für Strom bezahlen",
     "Reifen in der Garage wechseln", "Vertrag bei Telekom kündigen", "Paket bei der Post abholen"],
    ["acheter du pain complet", "appeler le plombier demain", "payer la facture du gaz",
     "reserver le train pour Lyon", "laver la voiture rouge", "ranger le garage en bas"],
], ids=["german", "french-accent-lost"])
def test_a_list_in_another_language_says_what_to_do_in_its_own_verbs(texts):
    lines = [line(t, 100, 100 + 60 * i, w=600) for i, t in enumerate(texts)]
    assert page_kind([(r, parse_marker(r.text)) for r in group_rows(lines)]) is PageKind.LIST
    assert [t.title for t in extract_tasks(lines, OPTS)] == texts


def test_two_columns_are_read_one_after_the_other():
    left = [line(t, 100, 100 + 60 * i, w=380) for i, t in enumerate(["- Call the bank", "- Pay the rent", "- Book the dentist"])]
    right = [line(t, 900, 100 + 60 * i, w=380) for i, t in enumerate(["- Buy a gift", "- Clean the car", "- Water plants"])]
    tasks = extract_tasks(left + right, OPTS)
    assert [t.title for t in tasks] == ["Call the bank", "Pay the rent", "Book the dentist",
                                            "Buy a gift", "Clean the car", "Water plants"]


def test_dates_written_far_right_stay_with_their_rows():
    rows = [("- Get approval", "17/12/2025"), ("- Book the venue", "20/12/2025"), ("- Send invites", "2/1/2026")]
    lines = [ln for i, (task, due) in enumerate(rows)
             for ln in (line(task, 100, 100 + 60 * i, w=300), line(due, 1100, 102 + 60 * i, w=220))]
    assert len(group_blocks(lines, lambda t: t[0].isdigit())) == 1
    tasks = extract_tasks(lines, OPTS)
    assert [(t.title, t.due) for t in tasks] == [
        ("Get approval", date(2025, 12, 17)), ("Book the venue", date(2025, 12, 20)), ("Send invites", date(2026, 1, 2))]


def test_text_written_beside_a_list_is_not_glued_onto_its_rows():
    # a list on one page of a notebook spread, a remark on the other, rows level with each other
    lines = [line(t, 100, 100 + 60 * i, w=300) for i, t in enumerate(["[ ] call the bank", "[ ] pack the bag", "[ ] book a table"])]
    lines += [line(t, 1300, 102 + 60 * i, w=420) for i, t in enumerate(["you cant win if you", "dont play at all"])]
    lines.append(line("Monday 12 October", 100, 40, w=1600))  # written across both: one block
    titles = [t.title for t in extract_tasks(lines, OPTS)]
    assert "call the bank" in titles and "pack the bag" in titles and "book a table" in titles
    assert not any("win" in t or "play" in t for t in titles if "bank" in t or "bag" in t)
    # words of one line written with wide spaces stay one row
    assert len(group_rows([line("Pick up", 100, 100, w=160), line("the parcel", 330, 104, w=200)],
                          is_field=lambda t: False)) == 1


def test_a_day_plan_reads_times_as_times():
    texts = ["10.00 - Meditation", "11.30 - Work on essay", "1.00 - Lunch", "3:15 Gym", "6pm - Dinner with Olga"]
    tasks = extract_tasks([line(t, 100, 100 + 60 * i) for i, t in enumerate(texts)], TEAM)
    assert [(t.title, t.description, t.assignee, t.due) for t in tasks] == [
        ("Meditation", "10.00", None, None), ("Work on essay", "11.30", None, None), ("Lunch", "1.00", None, None),
        ("Gym", "3:15", None, None), ("Dinner with Olga", "6pm", None, None)]


def test_a_date_alone_on_top_is_not_a_task():
    lines = [line("01.04.26", 100, 40), line("- Telekom kündigen", 100, 120), line("- Saugen", 100, 180)]
    assert [t.title for t in extract_tasks(lines, OPTS)] == ["Telekom kündigen", "Saugen"]


@pytest.mark.parametrize("opts", [OPTS, TEAM])
@pytest.mark.parametrize(
    "text,title",
    [
        ("- Upgrade to 1.2.3", "Upgrade to 1.2.3"),
        ("- Plan trip to Nice (France)", "Plan trip to Nice (France)"),
        ("- Fix login bug -> see ticket", "Fix login bug -> see ticket"),
        ("- Call the owner", "Call the owner"),
        ("- Remember to buy milk", "Remember to buy milk"),
        # "@" standing apart is "at"
        ("- Give talk @ FITC Web Unleashed", "Give talk @ FITC Web Unleashed"),
        ("- film projection @ home", "film projection @ home"),
    ],
)
def test_ordinary_words_are_not_fields(text, title, opts):
    (task,) = extract_tasks([line(text, 100, 100), line("- Buy milk", 100, 160)], opts)[:1]
    assert (task.title, task.assignee, task.due) == (title, None, None)


def test_at_before_a_name_assigns_and_apart_assigns_only_someone_known():
    rows = [line("- Send the deck @tom", 100, 100), line("- Book the room @ Ana", 100, 160), line("- Pay @ Bank", 100, 220)]
    assert [(t.title, t.assignee) for t in extract_tasks(rows, TEAM)] == [
        ("Send the deck", "Tom"), ("Book the room", "Ana"), ("Pay @ Bank", None)]


def test_a_page_says_what_it_was_read_as():
    todo = [line(t, 100, 100 + 60 * i) for i, t in enumerate(["- Call the plumber", "- Renew passport", "- gym bag"])]
    assert read_page(todo, OPTS).page == "list"
    prose = read_page(_prose_lines(PROSE), OPTS)
    assert (prose.page, prose.tasks) == ("text", ())
    notes = [line(t, 100, 100 + 60 * i) for i, t in enumerate(STUDY_NOTES)]
    assert read_page(notes, OPTS).page == "notes"
    board = _note(["BUY", "BULBS"], 100, 120) + _note(["CALL", "BOB"], 500, 120)
    board += _note(["EMAIL", "MIKE"], 100, 400) + _note(["RENEW", "SKYPE"], 500, 400)
    read = read_page(board, OPTS)
    assert read.page == "board" and len(read.tasks) == 4
    topics = _note(["INTRO", "BENEFITS"], 100, 120) + _note(["DESIGN", "PRINCIPLES"], 500, 120)
    topics += _note(["BIG", "PICTURES"], 100, 400) + _note(["CLOSE", "Resources"], 500, 400)
    assert read_page(topics, OPTS).page == "text"


@pytest.mark.parametrize("text, title, assignee", [
    ("- Tidy the living room -> viktor", "Tidy the living room", "Viktor"),
    ("- Call the school office — Felix", "Call the school office", "Felix"),
    ("- Water the plants (Tom)", "Water the plants", "Tom"),
    ("- Plan trip to Nice (France)", "Plan trip to Nice (France)", None),
    ("- Fix login bug -> see ticket", "Fix login bug -> see ticket", None),
    ("- Fix login bug -> mark as done", "Fix login bug -> mark as done", None),  # a name, not last
    ("- Lunch - Deli", "Lunch - Deli", None),
])
def test_without_a_roster_a_first_name_ending_the_row_is_its_assignee(text, title, assignee):
    (task,) = extract_tasks([line(text, 100, 100)], OPTS)
    assert (task.title, task.assignee) == (title, assignee)


def test_with_a_roster_only_its_people_are_assignees_in_brackets():
    (task,) = extract_tasks([line("- Book dinner (Maria)", 100, 100)], TEAM)
    assert (task.title, task.assignee) == ("Book dinner (Maria)", None)
    (task,) = extract_tasks([line("- Book dinner (Maria)", 100, 100)], OPTS)
    assert (task.title, task.assignee) == ("Book dinner", "Maria")


@pytest.mark.parametrize("spacing", [60, 110])  # rows close together, and a line or two apart
def test_amounts_written_in_a_column_beside_a_shopping_list_stay_with_their_items(spacing):
    items = [("WATER", "3L"), ("EGGS", "12"), ("Benzene", "1 L"), ("PLANTS", "3"), ("CHIPS", "2")]
    lines = [ln for i, (item, amount) in enumerate(items)
             for ln in (line(item, 100, 100 + spacing * i), line(amount, 700, 104 + spacing * i))]
    assert [t.title for t in extract_tasks(lines, OPTS)] == ["WATER 3L", "EGGS 12", "Benzene 1 L", "PLANTS 3", "CHIPS 2"]


def test_day_numbers_between_a_calendars_cells_are_not_amounts():
    # a week in three columns: day numbers level with the cells to their left and right
    lines = []
    for i, (left, right) in enumerate([("dentist", "yoga"), ("laundry", "call mum"), ("groceries", "piano"),
                                       ("gym", "cinema")]):
        y = 100 + 120 * i
        lines += [line(left, 100, y), line(str(10 + i), 500, y), line(right, 800, y)]
    blocks = group_blocks(lines, lambda t: False)
    assert not any(any(r.text.endswith(str(10 + i)) and r.text[0].isalpha() for i in range(4))
                   for b in blocks for r in b.rows)


def test_a_bullet_journals_key_lists_no_tasks_but_a_list_of_such_words_does():
    key = ["x Task complete", "* Task skipped", "- Information", "> Migrated", "o Event", "! Interesting fact"]
    read = read_page([line(t, 100, 100 + 60 * i) for i, t in enumerate(key)], OPTS)
    assert (read.page, read.tasks) == ("key", ())
    # rows that happen to use such words, but name no task, are a list's items
    todo = ["- Research flights", "- Birthday", "- Event tickets", "- Book the hotel"]
    assert len(extract_tasks([line(t, 100, 100 + 60 * i) for i, t in enumerate(todo)], OPTS)) == 4
    # a list with a key beside its items: the items are most of the page and stay tasks
    mixed = ["[ ] call the bank", "[ ] pay the rent", "[ ] book the dentist", "[ ] renew passport",
             "[ ] water plants", "x Task done"]
    assert len(extract_tasks([line(t, 100, 100 + 60 * i) for i, t in enumerate(mixed)], OPTS)) >= 5


def test_a_small_calendar_beside_a_list_is_not_glued_onto_its_items():
    items = ["[ ] Rewrite the site", "[ ] Post the episode", "[ ] Practice the keynote"]
    lines = [line(t, 100, 100 + 60 * i, w=500) for i, t in enumerate(items)]
    # a month's grid drawn to the right: day numbers in rows and columns, level with the items
    lines += [line(str(d), 620 + 50 * (d % 7), 100 + 60 * (d // 7), w=30) for d in range(1, 21)]
    assert [t.title for t in extract_tasks(lines, OPTS)] == ["Rewrite the site", "Post the episode", "Practice the keynote"]
    # two numbers on a row are no grid: a list's amounts still join their items
    pairs = [line(t, 100, 100 + 60 * i) for i, t in enumerate(["Milk", "Eggs", "Flour"])]
    pairs += [line(n, 700, 104 + 60 * i) for i, n in enumerate(["2", "12", "1"])]
    assert [t.title for t in extract_tasks(pairs, OPTS)] == ["Milk 2", "Eggs 12", "Flour 1"]


def test_a_count_on_top_of_a_list_of_counted_items_is_an_item_not_its_title():
    rows = ["2 eggs", "4 apples", "3 cucumbers", "1 cake", "2 loaves of bread"]
    # the first line set off from the rest, as a title would be
    lines = [line(t, 100, 100 + (0 if i == 0 else 60 + 50 * i)) for i, t in enumerate(rows)]
    assert [t.title for t in extract_tasks(lines, OPTS)] == rows
    # a word on top of such a list still names it
    titled = [line("Groceries", 100, 40)] + [line(t, 100, 160 + 50 * i) for i, t in enumerate(rows[1:])]
    assert [t.title for t in extract_tasks(titled, OPTS)] == rows[1:]


def test_the_last_item_of_a_numbered_list_written_larger_is_still_an_item():
    rows = ["1. Shower gel", "2. Nail polish", "3. Penne pasta", "4. Ice cream cones"]
    lines = [line(t, 100, 100 + 60 * i) for i, t in enumerate(rows)]
    lines.append(Line("6 Brown sugar", 0.9, BBox(100, 340, 300, 60)))  # bullet read without its dot
    titles = [t.title for t in extract_tasks(lines, OPTS)]
    assert titles[-1] == "6 Brown sugar" and len(titles) == 5



MINUTES = ["Team meeting 12/01", "Attendees: Ana, Tom, Liam", "Discussed the Q1 roadmap and budget.",
           "Marketing wants a new landing page", "before the launch in March.", "Action items:",
           "- Tom to send the deck by Friday", "- Ana: book the venue", "- Liam review budget 20/01",
           "- Liam - check the contract"]


def test_meeting_notes_give_their_action_items_and_nothing_else():
    lines = [line(t, 100, 100 + 60 * i) for i, t in enumerate(MINUTES)]
    tasks = extract_tasks(lines, TEAM)
    assert [(t.title, t.assignee, t.due) for t in tasks] == [
        ("send the deck", "Tom", date(2026, 1, 16)), ("book the venue", "Ana", None),
        ("review budget", "Liam", date(2026, 1, 20)), ("check the contract", "Liam", None)]
    # outside the section only an explicit action item is a task
    extra = lines[:2] + [line("[ ] Olga to order pizza", 100, 220)] + lines[2:]
    assert "order pizza" in [t.title for t in extract_tasks(extra, TEAM)]
    # a list headed "To do" is no meeting: all its rows stay tasks
    todo = [line(t, 100, 100 + 60 * i) for i, t in enumerate(["To do", "Call the bank", "Pay the rent", "Book the dentist"])]
    assert len(extract_tasks(todo, OPTS)) == 3


def test_a_name_first_assigns_only_someone_on_the_roster_written_nearly_as_it_is():
    rows = ["- Ana: book the venue", "- Plan - trip to Rome", "- Mark: the boxes", "- Liam check the contract"]
    team = ExtractOptions(ref_date=REF, date_order=DateOrder.DMY, correct_words=False, people=TEAM.people + ("Alan",))
    tasks = extract_tasks([line(t, 100, 100 + 60 * i) for i, t in enumerate(rows)], team)
    assert [(t.title, t.assignee) for t in tasks] == [
        ("book the venue", "Ana"), ("Plan - trip to Rome", None), ("Mark: the boxes", None), ("check the contract", "Liam")]


def test_an_item_written_tall_keeps_both_amounts_level_with_it():
    lines = [line(t, 100, 100 + 80 * i) for i, t in enumerate(["Milk", "Eggs", "Flour"])]
    lines.append(Line("Cheese", 0.9, BBox(100, 340, 132, 110)))  # written large: two amounts beside it
    lines += [line(n, 700, 104 + 80 * i) for i, n in enumerate(["2", "12", "1"])]
    lines += [line("200g", 700, 340), line("x2", 700, 400)]
    titles = [t.title for t in extract_tasks(lines, OPTS)]
    assert titles[:3] == ["Milk 2", "Eggs 12", "Flour 1"] and "200g" in titles[3] and "x2" in titles[3]


def test_a_filled_in_form_lists_no_tasks_but_a_list_using_its_words_does():
    form = ["Part# 015219", "Diameter .250", "Radius .175", "Width 2.562", "Color BLUE"]
    read = read_page([line(t, 100, 100 + 60 * i) for i, t in enumerate(form)], OPTS)
    assert (read.page, read.tasks) == ("form", ())
    todo = ["Date night with Ana", "Name the cat", "Size the curtains", "Total the receipts"]
    assert len(extract_tasks([line(t, 100, 100 + 60 * i) for i, t in enumerate(todo)], OPTS)) == 4
