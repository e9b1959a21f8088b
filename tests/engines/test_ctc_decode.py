"""Greedy and beam decoding of CTC output: the word LM, the roster and date shapes.

The probability matrices are written by hand so each test controls what the pixels allow;
the beam search, KenLM model and lexicon are the real ones.
"""

import string

import numpy as np
import pytest

from taskocr.engines.ctc_decode import BeamDecoder, greedy

pytest.importorskip("pyctcdecode", reason="the beam decoder's extra is not installed")

LABELS = ("",) + tuple(string.ascii_letters + string.digits + "/()-.:!@") + (" ",)
INDEX = {c: i for i, c in enumerate(LABELS)}


def frames(*columns) -> np.ndarray:
    """One frame per column: a character (certain) or a {char: probability} dict; a blank
    frame follows each, as CTC emits between characters."""
    rows = []
    for col in columns:
        dist = {col: 1.0} if isinstance(col, str) else col
        row = np.full(len(LABELS), 1e-6)
        for ch, p in dist.items():
            row[INDEX[ch]] = p
        rows.append(row / row.sum())
        blank = np.full(len(LABELS), 1e-6)
        blank[0] = 1.0
        rows.append(blank / blank.sum())
    return np.array(rows, dtype=np.float32)


def text_frames(text: str, **unsure) -> np.ndarray:
    """``text`` frame by frame; ``unsure={"3": {"e": .6, "a": .4}}`` replaces position 3."""
    return frames(*[unsure.get(str(i), ch) for i, ch in enumerate(text)])


@pytest.fixture(scope="module")
def beam():
    return BeamDecoder(LABELS)


def test_greedy_merges_repeats_and_drops_blanks():
    probs = np.concatenate([frames("a")[:1], frames("a"), frames("b", " ", "c")])  # a a _ b _ ␣ _ c _
    d = greedy(probs, LABELS)
    assert d.text == "ab c"
    assert [w.text for w in d.words] == ["ab", "c"]
    assert all(0.99 < w.confidence <= 1.0 for w in d.words)
    assert 0.99 < d.confidence <= 1.0


def test_beam_prefers_a_word_the_pixels_allow(beam):
    # the recogniser leans to "approvel"; "approval" is in reach of its second choice
    probs = text_frames("Get approval", **{"10": {"e": 0.6, "a": 0.4}})
    assert greedy(probs, LABELS).text == "Get approvel"
    d = beam.decode(probs)
    assert d.text == "Get approval"
    assert any(alt.text == "Get approvel" for alt in d.alternatives)
    assert all(alt.confidence <= d.confidence for alt in d.alternatives)


def test_beam_keeps_what_the_pixels_say_when_they_are_sure(beam):
    probs = text_frames("Get approvel", **{"10": {"e": 0.999, "a": 0.001}})
    assert beam.decode(probs).text == "Get approvel"


def test_roster_names_win_only_with_the_roster(beam):
    # "Ayknt" for "Aykut": the u is the recogniser's second choice
    probs = text_frames("Call Ayknt", **{"8": {"n": 0.7, "u": 0.3}})
    assert beam.decode(probs).text == "Call Ayknt"
    with_roster = beam.decode(probs, people=("Hasan", "Aykut"))
    assert with_roster.text == "Call Aykut"
    assert [w.text for w in with_roster.words] == ["Call", "Aykut"]


def test_roster_name_in_brackets(beam):
    probs = text_frames("Fix (Ayknt)", **{"8": {"n": 0.7, "u": 0.3}})
    assert beam.decode(probs, people=("Aykut",)).text == "Fix (Aykut)"


def test_dates_and_priorities_are_not_unknown_words(beam):
    for line in ("Pay rent 17/12/2025", "Ship it p1", "Call at 9:30", "due 2025-12-17"):
        assert beam.decode(text_frames(line)).text == line


def test_task_words_are_preferred_when_in_reach(beam):
    # "bg" or "by": the task vocabulary tips it
    probs = text_frames("Pay rent by Friday", **{"10": {"g": 0.55, "y": 0.45}})
    assert beam.decode(probs).text == "Pay rent by Friday"


def test_word_confidence_follows_the_unsure_frames(beam):
    probs = text_frames("Buy milk", **{"5": {"i": 0.6, "l": 0.4}})
    words = beam.decode(probs).words
    assert [w.text for w in words] == ["Buy", "milk"]
    assert words[0].confidence > words[1].confidence


def test_an_empty_matrix_decodes_to_nothing(beam):
    blank = frames(" ")[1:]
    assert beam.decode(blank).text == ""
