"""A deterministic engine for demos and tests: it never looks at the pixels.

It returns a fixed handwritten-style list laid out in the image's own coordinates, so
boxes, extraction and the API can be exercised without a model. Only used when named.
"""

from __future__ import annotations

import numpy as np

from .. import __version__
from ..model import BBox, Line

MOCK_LINES: tuple[str, ...] = (
    "TODO",
    "- Get approval -> Hasan 17/12/2025",
    "- [x] Book the venue (Ana) !!",
    "- Send invoices @tom by Friday",
    "  for the October deliveries",
    "- Call the printer low",
)


class MockEngine:
    name = "mock"
    model = "fixed-list"
    model_version = __version__

    def __init__(self, config=None):
        pass

    def unavailable_reason(self) -> str | None:
        return None

    def load(self) -> None:
        return None

    def recognize(self, image: np.ndarray) -> list[Line]:
        h, w = image.shape[:2]
        row = h / (len(MOCK_LINES) + 2)
        lines = []
        for i, text in enumerate(MOCK_LINES):
            indent = (len(text) - len(text.lstrip())) * w * 0.02
            box = BBox(w * 0.1 + indent, row * (i + 1), w * 0.7, row * 0.6)
            lines.append(Line(text.strip(), 0.99, box))
        return lines
