"""dots.ocr's side of the protocol, as pure functions: the prompt, the resize rule and the
parser for its layout answer. No I/O and no heavy imports, so every rule is unit-testable.

The model reads an image resized so both sides are multiples of 28 px and the pixel count lies
within [min_pixels, max_pixels]; it answers a JSON list of ``{"bbox", "category", "text"}``
cells in the coordinates of that resized image. Its answer is sometimes wrapped in a Markdown
fence, cut off at the token limit, or sprinkled with stray text, so the parser salvages every
complete cell it can find rather than trusting ``json.loads`` on the whole answer.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from ..model import BBox, Line, LineKind

# The model's own layout prompt (``prompt_layout_all_en`` in the dots.ocr repository). It is
# part of the protocol the model was trained on: reworded prompts degrade its answers.
PROMPT_LAYOUT_ALL_EN = """Please output the layout information from the PDF image, including each layout element's bbox, its category, and the corresponding text content within the bbox.

1. Bbox format: [x1, y1, x2, y2]

2. Layout Categories: The possible categories are ['Caption', 'Footnote', 'Formula', 'List-item', 'Page-footer', 'Page-header', 'Picture', 'Section-header', 'Table', 'Text', 'Title'].

3. Text Extraction & Formatting Rules:
    - Picture: For the 'Picture' category, the text field should be omitted.
    - Formula: Format its text as LaTeX.
    - Table: Format its text as HTML.
    - All Others (Text, Title, etc.): Format their text as Markdown.

4. Constraints:
    - The output text must be the original text from the image, with no translation.
    - All layout elements must be sorted according to human reading order.

5. Final Output: The entire output must be a single JSON object.
"""

# vLLM's OpenAI front end puts the image placeholder tokens in front of the text itself
# unless they are already there, and then inserts a newline the model never saw in training.
IMAGE_TOKENS = "<|img|><|imgpad|><|endofimg|>"

IMAGE_FACTOR = 28  # the vision encoder's patch (14) times its 2x2 merge
MIN_PIXELS = 3136
MAX_PIXELS = 11_289_600
MAX_ASPECT = 200

# A layout model gives no per-cell score; this stands for "read by a strong model" so task
# confidences stay comparable with the other engines' (which report 0..1 per line).
CELL_CONFIDENCE = 0.95

# Running headers/footers (a planner's printed date, a page number) are structure, not tasks.
HEADING = {"Title", "Section-header", "Page-header", "Page-footer"}
LIST_ITEM = {"List-item"}
# Cells that carry no readable line for the task extractor.
SKIPPED = {"Picture", "Formula"}


def smart_resize(height: int, width: int, *, factor: int = IMAGE_FACTOR,
                 min_pixels: int = MIN_PIXELS, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """(height, width) the model should see: multiples of ``factor``, pixel count within bounds,
    aspect ratio kept as closely as the grid allows (the model's own rule)."""
    if height <= 0 or width <= 0:
        raise ValueError(f"empty image {width}x{height}")
    if max(height, width) / min(height, width) > MAX_ASPECT:
        raise ValueError(f"aspect ratio {max(height, width) / min(height, width):.0f} is over {MAX_ASPECT}")
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if h * w > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h = max(factor, math.floor(height / beta / factor) * factor)
        w = max(factor, math.floor(width / beta / factor) * factor)
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h = math.ceil(height * beta / factor) * factor
        w = math.ceil(width * beta / factor) * factor
        if h * w > max_pixels:  # the token budget wins over the minimum
            beta = math.sqrt(h * w / max_pixels)
            h = max(factor, math.floor(h / beta / factor) * factor)
            w = max(factor, math.floor(w / beta / factor) * factor)
    return h, w


@dataclass(frozen=True)
class Cell:
    bbox: tuple[float, float, float, float]  # x1, y1, x2, y2 in the image the model saw
    category: str
    text: str


@dataclass(frozen=True)
class LayoutAnswer:
    cells: list[Cell]
    salvaged: bool  # the answer was not one clean JSON list (fenced, truncated, stray text)
    dropped: int  # objects found but unusable (no box, wrong types)
    found_json: bool  # False: no layout JSON in the answer at all (prose, or cut off at once)


_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)(?:```|$)", re.S)
_TRAILING_COMMA = re.compile(r",\s*([\]}])")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def parse_layout(answer: str | None) -> LayoutAnswer:
    """Every usable cell in the model's answer, in the model's (reading) order."""
    text = (answer or "").strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    salvaged = fenced is not None
    try:
        raw = _as_cell_list(json.loads(_TRAILING_COMMA.sub(r"\1", text)))
    except ValueError:
        raw = None
    whole = raw is not None
    if raw is None:
        salvaged = True
        raw = _scan_objects(text)
    cells, dropped, seen = [], 0, set()
    for obj in raw:
        cell = _cell(obj)
        if cell is None:
            dropped += 1
            continue
        key = (cell.bbox, cell.category, cell.text)
        if key in seen:  # a looping decoder repeats cells verbatim
            continue
        seen.add(key)
        cells.append(cell)
    return LayoutAnswer(cells, salvaged, dropped, whole or bool(raw))


def _as_cell_list(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        if "bbox" in value:
            return [value]
        for v in value.values():  # {"layout": [...]} and similar wrappers
            if isinstance(v, list):
                return v
    return None


def _scan_objects(text: str) -> list[Any]:
    """Complete JSON objects anywhere in ``text``: the cells of a truncated or noisy answer."""
    decoder = json.JSONDecoder()
    out, i = [], text.find("{")
    while i != -1:
        try:
            obj, end = decoder.raw_decode(text, i)
        except ValueError:
            i = text.find("{", i + 1)
            continue
        if isinstance(obj, dict) and ("bbox" in obj or "category" in obj):
            out.append(obj)
            i = text.find("{", end)
        else:
            i = text.find("{", i + 1)
    return out


def _cell(obj: Any) -> Cell | None:
    if not isinstance(obj, dict):
        return None
    bbox = _bbox(obj.get("bbox", obj.get("bbox_2d")))
    if bbox is None:
        return None
    category = obj.get("category")
    category = category.strip() if isinstance(category, str) and category.strip() else "Text"
    text = obj.get("text")
    if text is None:
        text = ""
    elif not isinstance(text, str):
        text = str(text)
    return Cell(bbox, category, text)


def _bbox(value: Any) -> tuple[float, float, float, float] | None:
    if isinstance(value, str):
        value = [float(n) for n in _NUMBER.findall(value)]
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(p, (list, tuple)) for p in value):
        value = [*value[0], *value[1]]  # [[x1, y1], [x2, y2]]
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        return None
    try:
        x1, y1, x2, y2 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
        return None
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


# --- cells → lines ---------------------------------------------------------------------------

_HEADING_HASHES = re.compile(r"^\s{0,3}#{1,6}\s+")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_TAG = re.compile(r"<[^>]+>")
_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S | re.I)
_TD = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S | re.I)


def clean_markdown(text: str) -> str:
    """The written words of a Markdown cell. List markers and checkboxes stay: the task
    extractor reads them ("- [x] Book the venue")."""
    text = _HEADING_HASHES.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def table_rows(html: str) -> list[str]:
    rows = []
    for row in _ROW.findall(html):
        cells = [" ".join(_TAG.sub(" ", c).split()) for c in _TD.findall(row)]
        joined = " | ".join(c for c in cells if c)
        if joined:
            rows.append(joined)
    if not rows:
        flat = " ".join(_TAG.sub(" ", html).split())
        rows = [flat] if flat else []
    return rows


def _kind(category: str) -> LineKind:
    if category in HEADING:
        return LineKind.HEADING
    if category in LIST_ITEM:
        return LineKind.LIST_ITEM
    return LineKind.TEXT


def cells_to_lines(cells: list[Cell], sent_size: tuple[int, int],
                   original_size: tuple[int, int]) -> list[Line]:
    """Lines in the original image's pixels. ``sent_size``/``original_size`` are (width, height).

    A cell holding several written lines (a Text block, a table) is split into one line per
    row, each given an equal slice of the cell's height: the extractor works on lines.
    """
    sw, sh = sent_size
    ow, oh = original_size
    fx, fy = ow / sw, oh / sh
    lines: list[Line] = []
    for cell in cells:
        if cell.category in SKIPPED:
            continue
        box = BBox.from_corners(*cell.bbox).clipped(sw, sh)
        if box.width <= 0 or box.height <= 0:
            continue  # wholly outside the image: nothing there to point at
        if cell.category == "Table":
            rows = table_rows(cell.text)
        else:
            rows = [clean_markdown(r) for r in cell.text.splitlines()]
        rows = [r for r in rows if r]
        if not rows:
            continue
        box = box.scaled(fx, fy)
        step = box.height / len(rows)
        kind = _kind(cell.category)
        for i, row in enumerate(rows):
            part = BBox(box.x, box.y + i * step, box.width, step)
            lines.append(Line(row, CELL_CONFIDENCE, part, kind))
    return lines
