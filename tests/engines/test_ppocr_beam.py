"""PP-OCRv6 small read through onnxruntime and decoded with the beam search (TASKOCR_DECODER=beam)."""

import numpy as np
import pytest
from rapidfuzz import fuzz

from taskocr import imaging
from taskocr.config import Decoder, PPOCRConfig, PPOCRModel, Settings
from taskocr.engines import ctc_rec
from taskocr.engines import registry as reg
from taskocr.errors import ConfigError, EngineError
from taskocr.pipeline import Pipeline, ScanOptions

from support import render_list

pytestmark = pytest.mark.skipif(ctc_rec.unavailable_reason() is not None,
                                reason=f"beam decoder not installed: {ctc_rec.unavailable_reason()}")

LINES = ("TODO List", "- Get approval -> Aykut 17/12/2025", "- Convert to tasks (Hasan)", "- Call the printer asap")


@pytest.fixture(scope="module")
def engine():
    e = reg.engine_class("ppocr")(PPOCRConfig(decoder=Decoder.BEAM))
    assert e.unavailable_reason() is None
    e.load()
    return e


@pytest.fixture(scope="module")
def page():
    return imaging.load_image(render_list(LINES)).rgb


@pytest.mark.slow
def test_beam_lines_carry_words_and_ranked_alternatives(engine, page):
    lines = engine.recognize(page, people=("Aykut", "Hasan"))
    text = " ".join(ln.text for ln in sorted(lines, key=lambda ln: ln.bbox.y))
    assert fuzz.partial_ratio("Get approval", text) > 90
    assert "Aykut" in text and "Hasan" in text
    assert "17/12/2025" in text
    for ln in lines:
        assert [w.text for w in ln.words] == ln.text.split()
        assert all(0.0 <= w.confidence <= 1.0 for w in ln.words)
        assert all(a.text != ln.text and a.confidence <= ln.confidence for a in ln.alternatives)
        assert 0 <= ln.bbox.x and ln.bbox.x2 <= page.shape[1] + 1  # boxes in page pixels, not widened ones


@pytest.mark.slow
def test_the_scan_roster_reaches_the_decoder_and_the_tasks():
    pipeline = Pipeline(Settings(ppocr=PPOCRConfig(decoder=Decoder.BEAM), backend="ppocr"))
    result = pipeline.scan(render_list(LINES), ScanOptions(people=("Aykut", "Hasan")))
    assignees = {t.assignee for t in result.tasks}
    assert {"Aykut", "Hasan"} <= assignees
    assert any(ln.words for ln in result.lines)
    assert "words" in result.to_dict()["lines"][0]


def test_a_model_file_with_another_hash_is_refused(tmp_path):
    fake = tmp_path / "rec.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(EngineError, match="SHA-256"):
        ctc_rec._verified(fake, ctc_rec.REC_MODEL[1])


def test_the_decoder_setting_is_checked():
    assert Settings.from_env({"TASKOCR_DECODER": "Beam"}).ppocr.decoder is Decoder.BEAM
    assert Settings.from_env({}).ppocr.decoder is Decoder.GREEDY
    with pytest.raises(ConfigError):
        Settings.from_env({"TASKOCR_DECODER": "best"})


def test_beam_needs_the_small_model(page):
    e = reg.engine_class("ppocr")(PPOCRConfig(decoder=Decoder.BEAM, model=PPOCRModel.TINY))
    with pytest.raises(EngineError, match="small"):
        e.load()


def test_a_box_the_recogniser_cannot_read_keeps_faster_paddles_reading(engine, page, monkeypatch):
    # slanted writing: the axis-aligned crop reads as "1", faster-paddle's own cut as a word
    from taskocr.model import BBox, Line

    rec, _ = engine._reader.get()
    blank = np.zeros((6, len(rec.charset.labels)), np.float32)
    blank[:, rec.charset.labels.index("1")] = 1.0
    slanted = Line("meditation", 0.9, BBox(10, 10, 150, 180))
    monkeypatch.setattr(engine, "read_boxes", lambda eng, image: [(slanted, blank)])
    assert engine.recognize(page) == [slanted]
