"""The pure half of dots.ocr: resize rule, answer parser, cells → lines."""

from __future__ import annotations

import json

import pytest

from taskocr.engines.dots_layout import (
    IMAGE_FACTOR, MAX_PIXELS, MIN_PIXELS, PROMPT_LAYOUT_ALL_EN, Cell, cells_to_lines, clean_markdown,
    parse_layout, smart_resize, table_rows,
)
from taskocr.model import LineKind

CELLS = [
    {"bbox": [10, 10, 200, 40], "category": "Title", "text": "## Week 12"},
    {"bbox": [10, 50, 300, 80], "category": "List-item", "text": "- Buy milk"},
    {"bbox": [10, 90, 300, 120], "category": "List-item", "text": "- Fix the \\{braces\\} in $x^{2}$"},
]


# --- smart_resize ------------------------------------------------------------------------------

@pytest.mark.parametrize("h,w", [(4032, 3024), (3024, 4032), (1000, 700), (28, 28), (10, 10), (50, 9000), (2000, 15)])
def test_resize_lands_on_the_grid_within_bounds(h, w):
    rh, rw = smart_resize(h, w)
    assert rh % IMAGE_FACTOR == 0 and rw % IMAGE_FACTOR == 0
    assert MIN_PIXELS <= rh * rw <= MAX_PIXELS
    assert abs(rw / rh - w / h) / (w / h) < 0.5 or min(h, w) < IMAGE_FACTOR


def test_resize_known_values():
    assert smart_resize(4032, 3024) == (3864, 2884)  # a 12 MP phone photo is scaled down
    assert smart_resize(1000, 700) == (1008, 700)  # within bounds: only snapped to the grid
    assert smart_resize(10, 10) == (56, 56)  # tiny images are scaled up to the minimum
    assert smart_resize(900, 1200, max_pixels=200_000) == (364, 504)


def test_resize_refuses_extreme_aspect():
    with pytest.raises(ValueError):
        smart_resize(10, 3000)
    with pytest.raises(ValueError):
        smart_resize(0, 10)


def test_prompt_is_the_models_own():
    assert PROMPT_LAYOUT_ALL_EN.startswith("Please output the layout information from the PDF image")
    assert "['Caption', 'Footnote', 'Formula', 'List-item', 'Page-footer', 'Page-header', 'Picture', " \
           "'Section-header', 'Table', 'Text', 'Title']" in PROMPT_LAYOUT_ALL_EN
    assert PROMPT_LAYOUT_ALL_EN.endswith("5. Final Output: The entire output must be a single JSON object.\n")


# --- parse_layout ------------------------------------------------------------------------------

def texts(answer: str) -> list[str]:
    return [c.text for c in parse_layout(answer).cells]


def test_clean_json():
    parsed = parse_layout(json.dumps(CELLS))
    assert not parsed.salvaged and parsed.dropped == 0 and parsed.found_json
    assert parsed.cells[1] == Cell((10.0, 50.0, 300.0, 80.0), "List-item", "- Buy milk")


@pytest.mark.parametrize("wrap", [
    lambda s: f"```json\n{s}\n```",
    lambda s: f"```\n{s}```",
    lambda s: f"Sure! Here it is:\n```json\n{s}\n```\nAnything else?",
    lambda s: f"```json\n{s}",  # the closing fence never came
    lambda s: f"The layout is {s} as requested.",
    lambda s: s.replace("}]", "},]"),  # trailing comma
    lambda s: json.dumps({"layout": json.loads(s)}),
])
def test_wrapped_answers(wrap):
    assert texts(wrap(json.dumps(CELLS))) == [c["text"] for c in CELLS]


@pytest.mark.parametrize("cut", [10, 40, 80, 120, 160, 200, 240])
def test_truncated_answers_keep_every_complete_cell(cut):
    full = json.dumps(CELLS)
    answer = full[: len(full) - cut]
    parsed = parse_layout(answer)
    complete = [c for c in CELLS if full.index(json.dumps(c)) + len(json.dumps(c)) <= len(answer)]
    assert [c.text for c in parsed.cells] == [c["text"] for c in complete]
    assert parsed.salvaged


def test_truncated_before_any_cell_is_no_layout():
    parsed = parse_layout('[{"bbox": [1, 2, 3')
    assert parsed.cells == [] and not parsed.found_json


def test_prose_is_no_layout():
    assert not parse_layout("The image shows a shopping list.").found_json
    assert not parse_layout("").found_json
    assert not parse_layout(None).found_json


def test_empty_list_is_a_valid_answer():
    parsed = parse_layout("[]")
    assert parsed.found_json and parsed.cells == []


def test_wrong_types_are_repaired_or_dropped():
    answer = json.dumps([
        {"bbox": ["10", "20", "30", "40"], "category": "Text", "text": 42},  # strings, number text
        {"bbox": "[5, 6, 7, 8]", "text": "no category"},  # bbox as a string, category missing
        {"bbox": [[1, 2], [3, 4]], "category": "Text", "text": "point pairs"},
        {"bbox": [30, 40, 10, 20], "category": "Text", "text": "swapped corners"},
        {"bbox": [1, 2, 3], "category": "Text", "text": "three numbers"},
        {"bbox": None, "category": "Text", "text": "no box"},
        {"bbox": [1, 2, "x", 4], "category": "Text", "text": "not a number"},
        {"bbox": [1, 2, 3, 4], "category": 7, "text": None},
        "a string, not a cell",
    ])
    parsed = parse_layout(answer)
    assert [(c.bbox, c.category, c.text) for c in parsed.cells] == [
        ((10, 20, 30, 40), "Text", "42"),
        ((5, 6, 7, 8), "Text", "no category"),
        ((1, 2, 3, 4), "Text", "point pairs"),
        ((10, 20, 30, 40), "Text", "swapped corners"),
        ((1, 2, 3, 4), "Text", ""),
    ]
    assert parsed.dropped == 4


def test_a_looping_decoder_is_deduplicated():
    cell = {"bbox": [1, 2, 30, 40], "category": "Text", "text": "again"}
    assert texts(json.dumps([cell] * 50)) == ["again"]


def test_stray_braces_in_text_do_not_confuse_salvage():
    answer = json.dumps(CELLS)[:-1] + ', {"bbox": [1, 1, 9, 9], "category": "Formula", "text": "\\\\frac{1}{'
    assert texts(answer) == [c["text"] for c in CELLS]


# --- cells → lines -----------------------------------------------------------------------------

def test_kinds_and_skipped_categories():
    cells = [
        Cell((0, 0, 10, 10), "Title", "# Groceries"),
        Cell((0, 10, 10, 20), "Section-header", "Dairy"),
        Cell((0, 20, 10, 30), "List-item", "- milk"),
        Cell((0, 30, 10, 40), "Text", "eggs"),
        Cell((0, 40, 10, 50), "Page-header", "12 May"),
        Cell((0, 50, 10, 60), "Picture", ""),
        Cell((0, 60, 10, 70), "Formula", "x^2"),
        Cell((0, 70, 10, 80), "Text", "   "),
    ]
    lines = cells_to_lines(cells, (100, 100), (100, 100))
    assert [(ln.text, ln.kind) for ln in lines] == [
        ("Groceries", LineKind.HEADING), ("Dairy", LineKind.HEADING), ("- milk", LineKind.LIST_ITEM),
        ("eggs", LineKind.TEXT), ("12 May", LineKind.HEADING),
    ]


def test_boxes_scale_back_and_clip():
    cells = [
        Cell((50, 20, 150, 40), "Text", "scaled"),
        Cell((-20, 90, 250, 130), "Text", "overflowing"),  # past the edges of a 200x100 image
        Cell((300, 300, 400, 400), "Text", "nowhere"),  # wholly outside: dropped
    ]
    lines = cells_to_lines(cells, (200, 100), (800, 500))
    assert [ln.text for ln in lines] == ["scaled", "overflowing"]
    b = lines[0].bbox
    assert (b.x, b.y, b.width, b.height) == (200, 100, 400, 100)
    b = lines[1].bbox
    assert (b.x, b.y, b.x2, b.y2) == (0, 450, 800, 500)


def test_multi_line_cells_are_split_evenly():
    (a, b) = cells_to_lines([Cell((0, 0, 100, 40), "Text", "first line\n\nsecond line")], (100, 100), (100, 100))
    assert (a.text, a.bbox.y, a.bbox.height) == ("first line", 0, 20)
    assert (b.text, b.bbox.y, b.bbox.height) == ("second line", 20, 20)


def test_tables_become_rows():
    html = "<table><tr><th>Task</th><th>Who</th></tr><tr><td>Paint fence</td><td>Ana</td></tr></table>"
    assert table_rows(html) == ["Task | Who", "Paint fence | Ana"]
    assert table_rows("<p>just text</p>") == ["just text"]
    lines = cells_to_lines([Cell((0, 0, 100, 20), "Table", html)], (100, 100), (100, 100))
    assert [ln.text for ln in lines] == ["Task | Who", "Paint fence | Ana"]


@pytest.mark.parametrize("md,plain", [
    ("## Shopping", "Shopping"),
    ("**Call** the __bank__", "Call the bank"),
    ("1\\. Book flights", "1. Book flights"),
    ("- [ ] water plants", "- [ ] water plants"),
    ("\\- dash kept", "- dash kept"),
    ("  spaced   out  ", "spaced out"),
    ("#hashtag stays", "#hashtag stays"),
])
def test_markdown_is_reduced_to_the_written_words(md, plain):
    assert clean_markdown(md) == plain
