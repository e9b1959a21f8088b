"""The result tree's dict round trip, and the choice between two readings of a line."""

from datetime import date, datetime

import pytest

from taskocr.config import Settings
from taskocr.engines.ppocr import _attach_alternatives
from taskocr.engines.registry import Recognition, Registry
from taskocr.extract.correct import choose_reading
from taskocr.extract.tasks import ExtractOptions, extract_tasks
from taskocr.model import (
    AttemptStatus, BBox, EngineAttempt, ImageInfo, Line, LineKind, Priority, Reading, ScanResult, Task, Word,
)
from taskocr.pipeline import Pipeline, ScanOptions


def test_scan_result_round_trips_through_a_dict():
    result = ScanResult(
        engine="ppocr",
        image=ImageInfo(4000, 3000, datetime(2025, 12, 3, 9, 30), "JPEG", True),
        lines=(
            Line("Get approval", 0.93, BBox(10, 20, 300, 40), LineKind.LIST_ITEM,
                 alternatives=(Reading("Get aproval", 0.95),)),
            Line("Tom", 0.5, BBox(320, 20, 60, 40), words=(Word("Tom", 0.5),)),
        ),
        tasks=(Task("Get approval", "", "Hasan", date(2025, 12, 17), Priority.HIGH, True, 0, 0.93,
                    BBox(10, 20, 370, 40)),),
        engines_tried=(EngineAttempt("dots", AttemptStatus.DECLINED, "no server"),
                       EngineAttempt("ppocr", AttemptStatus.OK)),
        timings_ms={"ocr": 410.0, "total": 540.0},
        model="small", model_version="PP-OCRv6 small, faster-paddle 1.0.4", extractor_version="0.1.0+abc",
        page_kind="list",
    )
    d = result.to_dict()
    assert d["tasks"][0]["bbox"] == {"x": 10, "y": 20, "width": 370, "height": 40}
    assert (d["model"], d["extractor_version"], d["page_kind"]) == ("small", "0.1.0+abc", "list")
    assert d["lines"][0]["alternatives"] == [{"text": "Get aproval", "confidence": 0.95}]
    assert "alternatives" not in d["lines"][1]  # only lines that have one carry the key
    assert d["lines"][1]["words"] == [{"text": "Tom", "confidence": 0.5}]
    assert "words" not in d["lines"][0]
    assert ScanResult.from_dict(d) == result


def _line(text, conf, *alts):
    return Line(text, conf, BBox(0, 0, 400, 40), alternatives=tuple(Reading(t, c) for t, c in alts))


def test_the_reading_with_more_real_words_wins_over_a_more_confident_one():
    line = _line("Schedule thekiekoff meeling", 0.97, ("Schedule the kickoff meeting", 0.91))
    assert choose_reading(line).text == "Schedule the kickoff meeting"
    assert choose_reading(line).confidence == 0.91
    # the reading passed over stays on the line, and choosing again changes nothing
    assert choose_reading(line).alternatives == (Reading("Schedule thekiekoff meeling", 0.97),)
    assert choose_reading(choose_reading(line)) == choose_reading(line)


def test_equal_word_counts_fall_back_to_confidence_and_roster_names_count_as_words():
    line = _line("Call the bank", 0.90, ("Call the bank", 0.95))
    assert choose_reading(line).confidence == 0.95
    line = _line("Ask Hasn", 0.95, ("Ask Hasan", 0.80))
    assert choose_reading(line).text == "Ask Hasn"  # neither name is a dictionary word
    assert choose_reading(line, ("Hasan",)).text == "Ask Hasan"
    assert choose_reading(_line("Pay rent", 0.9)).text == "Pay rent"  # nothing to choose from


def test_extraction_uses_the_chosen_reading_unless_word_repair_is_off():
    line = _line("- Buy milx bred", 0.95, ("- Buy milk bread", 0.90))
    assert extract_tasks([line], ExtractOptions(ref_date=date(2025, 12, 3)))[0].title == "Buy milk bread"
    off = ExtractOptions(ref_date=date(2025, 12, 3), correct_words=False)
    assert extract_tasks([line], off)[0].title == "Buy milx bred"


def test_second_pass_readings_attach_only_to_the_box_they_cover():
    first = [Line("Buy milx", 0.9, BBox(0, 0, 200, 40)), Line("Pay rent", 0.9, BBox(0, 60, 200, 40)),
             Line("Fix gate", 0.9, BBox(0, 120, 200, 40))]
    second = [Line("Buy milk", 0.8, BBox(5, 2, 195, 38)),  # the same box: attached
              Line("Pay rent", 0.95, BBox(0, 60, 200, 40)),  # the same text: nothing to add
              Line("Fix", 0.9, BBox(0, 120, 90, 40)), Line("gate", 0.9, BBox(110, 120, 90, 40))]  # split
    got = _attach_alternatives(first, second)
    assert got[0].alternatives == (Reading("Buy milk", 0.8),)
    assert got[1].alternatives == () and got[2].alternatives == ()
    assert [ln.text for ln in got] == ["Buy milx", "Pay rent", "Fix gate"]


def test_a_beam_decoded_line_keeps_its_reading():
    from taskocr.model import Word

    beam = Line("Schedule thekiekoff meeling", 0.97, BBox(0, 0, 400, 40),
                alternatives=(Reading("Schedule the kickoff meeting", 0.91),),
                words=tuple(Word(w, 0.9) for w in "Schedule thekiekoff meeling".split()))
    assert choose_reading(beam) is beam


class _TwoReadings(Registry):
    """A chain whose engine read one line two ways, as PP-OCR's two widenings do."""

    def recognize(self, image, backend, people=()):
        line = _line("Schedule thekiekoff meeling", 0.97, ("Schedule the kickoff meeting", 0.91))
        return Recognition("ppocr", [line], ())


@pytest.mark.parametrize("correct_words", [True, False])
def test_scan_lines_carry_the_same_reading_as_the_tasks(correct_words):
    from support import render_list

    settings = Settings(backend="ppocr", correct_words=correct_words)
    result = Pipeline(settings, _TwoReadings(settings)).scan(render_list(), ScanOptions(ref_date=date(2025, 12, 3)))
    (line,), (task,) = result.lines, result.tasks
    assert line.text == task.title
    if correct_words:
        assert line.text == "Schedule the kickoff meeting"
        assert line.alternatives == (Reading("Schedule thekiekoff meeling", 0.97),)
    else:
        assert line.text == "Schedule thekiekoff meeling"


class _Board(Registry):
    """A chain whose engine segmented a board of notes two ways: unwidened it joined the
    notes side by side into long lines, widened it kept each note apart."""

    def recognize(self, image, backend, people=()):
        def ln(text, x, y, w):
            return Line(text, 0.9, BBox(x, y, w, 40))

        joined = [ln("EMAIL JOAN BUY", 100, 120, 550), ln("RE CARDS BULBS", 100, 165, 550),
                  ln("CALL BOB PAY", 100, 420, 550), ln("RENT", 500, 465, 150)]
        notes = [ln(t, x, y + 45 * i, 150) for x, y, words in (
            (100, 120, ["EMAIL", "JOAN", "RE CARDS"]), (500, 120, ["BUY", "BULBS"]),
            (100, 420, ["CALL", "BOB"]), (500, 420, ["PAY", "RENT"])) for i, t in enumerate(words)]
        return Recognition("ppocr", joined, (), separated=tuple(notes))


def test_a_board_gives_its_notes_as_tasks_and_the_first_reading_as_its_lines():
    from support import render_list

    settings = Settings(backend="ppocr", correct_words=False)
    result = Pipeline(settings, _Board(settings)).scan(render_list(), ScanOptions(ref_date=date(2025, 12, 3)))
    assert sorted(t.title for t in result.tasks) == ["BUY BULBS", "CALL BOB", "EMAIL JOAN RE CARDS", "PAY RENT"]
    assert [ln.text for ln in result.lines] == ["EMAIL JOAN BUY", "RE CARDS BULBS", "CALL BOB PAY", "RENT"]
