"""Tesseract 5 (Debian's ``tesseract-ocr``) through pytesseract, words grouped into lines."""

from __future__ import annotations

import shutil
from functools import cached_property

import numpy as np

from ..config import TesseractConfig
from ..errors import EngineError
from ..model import BBox, Line

# psm 4: one column of text lines of varying size, which is what a handwritten list is
_CONFIG = "--oem 1 --psm 4"


class TesseractEngine:
    name = "tesseract"
    model = "eng"

    def __init__(self, config: TesseractConfig | None = None):
        self.cmd = (config or TesseractConfig()).cmd
        self.model_version: str | None = None  # the binary's version, read at load()

    @cached_property
    def _reason(self) -> str | None:
        try:
            import pytesseract  # noqa: F401
        except ImportError:
            return "the pytesseract package is not installed"
        if shutil.which(self.cmd) is None:
            return f"the tesseract binary ({self.cmd}) is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)"
        return None

    def unavailable_reason(self) -> str | None:
        return self._reason

    def load(self) -> None:
        # a subprocess per image, so nothing to keep in memory; pytesseract keeps the binary's
        # path module-wide, set once here rather than per call
        import pytesseract

        pytesseract.pytesseract.tesseract_cmd = self.cmd
        if self.model_version is None:
            try:
                self.model_version = f"tesseract {pytesseract.get_tesseract_version()}"
            except Exception as exc:  # the binary is checked by unavailable_reason already
                raise EngineError(self.name, f"cannot run {self.cmd}: {exc}") from exc

    def recognize(self, image: np.ndarray) -> list[Line]:
        import pytesseract

        try:
            data = pytesseract.image_to_data(
                image, lang="eng", config=_CONFIG, output_type=pytesseract.Output.DICT,
                timeout=120,
            )
        except RuntimeError as exc:  # pytesseract's timeout
            raise EngineError(self.name, f"timed out: {exc}", transient=True) from exc
        except Exception as exc:
            raise EngineError(self.name, f"recognition failed: {exc}") from exc
        groups: dict[tuple[int, int, int], list[int]] = {}
        for i, word in enumerate(data["text"]):
            if word.strip() and float(data["conf"][i]) >= 0:
                key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
                groups.setdefault(key, []).append(i)
        lines = []
        for idx in groups.values():
            text = " ".join(data["text"][i].strip() for i in idx)
            box = BBox.union(
                BBox(data["left"][i], data["top"][i], data["width"][i], data["height"][i]) for i in idx
            )
            conf = sum(float(data["conf"][i]) for i in idx) / len(idx) / 100.0
            lines.append(Line(text, conf, box))
        return lines
