import cv2
import numpy as np
import pytest

from taskocr import ink
from taskocr.model import BBox


def _writing(strike=None):
    img = np.full((200, 900, 3), 235, np.uint8)
    cv2.line(img, (0, 150), (899, 150), (200, 170, 150), 2)  # a faint printed ruling
    cv2.putText(img, "Book the meeting room", (40, 130), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 2, (40, 30, 90), 4)
    if strike == "through":
        cv2.line(img, (30, 108), (800, 100), (40, 30, 90), 5)
    elif strike == "under":
        cv2.line(img, (30, 142), (800, 142), (40, 30, 90), 5)
    return img


@pytest.mark.parametrize("strike, expected", [("through", True), (None, False), ("under", False)])
def test_crossed_out_writing_is_seen(strike, expected):
    box = BBox(30, 75, 780, 70)
    assert ink.is_struck_through(_writing(strike), box) is expected


@pytest.mark.parametrize("strike, expected", [("through", True), (None, False), ("under", False)])
def test_crossed_out_pencil_is_seen(strike, expected):
    # pencil on white paper: grey strokes, much fainter than ink, over a fainter ruling
    img = np.full((200, 900, 3), 245, np.uint8)
    cv2.line(img, (0, 150), (899, 150), (215, 215, 225), 2)
    cv2.putText(img, "Book the meeting room", (40, 130), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 2, (165, 165, 165), 3)
    if strike == "through":
        cv2.line(img, (30, 108), (800, 100), (165, 165, 165), 3)
    elif strike == "under":
        cv2.line(img, (30, 142), (800, 142), (165, 165, 165), 3)
    assert ink.is_struck_through(img, BBox(30, 75, 780, 70)) is expected


# --- a box drawn before a line --------------------------------------------------------------

INK = (40, 30, 90)


def _line(mark=None, *, text="Book the room", paper=235):
    """A line of writing 60 px tall starting at x=120, with a mark drawn before it."""
    img = np.full((200, 900, 3), paper, np.uint8)
    cv2.putText(img, text, (120, 120), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 2, INK, 3)
    if mark in ("box", "ticked", "crossed"):
        cv2.rectangle(img, (62, 78), (100, 116), INK, 3)
    if mark == "ticked":
        cv2.line(img, (68, 96), (80, 110), INK, 3)
        cv2.line(img, (80, 110), (112, 66), INK, 3)  # runs out past the top right corner
    if mark == "crossed":
        cv2.line(img, (66, 82), (96, 112), INK, 3)
        cv2.line(img, (96, 82), (66, 112), INK, 3)
    if mark == "circle":
        cv2.circle(img, (81, 97), 19, INK, 3)
    if mark == "filled":
        cv2.rectangle(img, (62, 78), (100, 116), INK, -1)
    return img


LINE = BBox(120, 72, 500, 60)


@pytest.mark.parametrize("mark, expected", [
    ("box", False), ("ticked", True), ("crossed", True),
    (None, None), ("filled", None),
    ("circle", False),  # a box drawn round is a box too
])
def test_a_box_drawn_before_a_line_is_seen_with_its_tick(mark, expected):
    assert ink.checkbox_before(_line(mark), LINE) is expected


def test_a_box_is_seen_in_pencil_and_when_the_engine_box_takes_it_in():
    img = np.full((200, 900, 3), 245, np.uint8)
    cv2.rectangle(img, (62, 78), (100, 116), (160, 160, 160), 2)
    cv2.putText(img, "Call Ana", (120, 120), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 2, (160, 160, 160), 3)
    assert ink.checkbox_before(img, LINE) is False
    assert ink.checkbox_before(img, BBox(70, 72, 550, 60)) is False


@pytest.mark.parametrize("text", ["EMAIL DEVIN", "Date received", "BOOK 8 DAYS", "Order pizza", "ODD BOX"])
def test_letters_are_no_box(text):
    img = np.full((200, 900, 3), 235, np.uint8)
    cv2.putText(img, text, (60, 118), cv2.FONT_HERSHEY_SIMPLEX, 1.6, INK, 3)
    assert ink.checkbox_before(img, BBox(60, 72, 500, 60)) is None
    assert ink.checkbox_before(img, BBox(140, 72, 420, 60)) is None  # the engine dropped the first letter


def test_rulings_a_margin_and_a_box_on_another_line_are_no_box():
    img = _line()
    cv2.line(img, (0, 70), (899, 70), INK, 2)  # rulings above and below the line
    cv2.line(img, (0, 128), (899, 128), INK, 2)
    cv2.line(img, (50, 0), (50, 199), INK, 2)  # the margin
    assert ink.checkbox_before(img, LINE) is None
    other = _line()
    cv2.rectangle(other, (62, 150), (100, 188), INK, 3)  # the next line's box
    assert ink.checkbox_before(other, LINE) is None


def test_the_edge_of_a_dark_sheet_is_no_box():
    img = _line()
    img[:, :90] = 90  # a dark table beside the sheet
    img[60:140, 60:90] = 120
    assert ink.checkbox_before(img, LINE) is None


def test_a_thin_strike_drawn_aslant_through_small_writing_is_seen():
    # a scan at 800 px: letters 20 px tall, struck through by a one-pixel pencil line that
    # climbs eight pixels over the word: no run of it is level for long
    img = np.full((60, 400, 3), 245, np.uint8)
    cv2.putText(img, "add friends", (20, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (120, 120, 120), 1)
    cv2.line(img, (18, 35), (190, 27), (120, 120, 120), 1)
    assert ink.is_struck_through(img, BBox(18, 22, 175, 22)) is True
    clean = np.full((60, 400, 3), 245, np.uint8)
    cv2.putText(clean, "add friends", (20, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (120, 120, 120), 1)
    assert ink.is_struck_through(clean, BBox(18, 22, 175, 22)) is False
