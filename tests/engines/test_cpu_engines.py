"""The CPU engines read an image rendered here, and the chain falls back per image."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from rapidfuzz import fuzz

from taskocr import imaging
from taskocr.config import Decoder, PPOCRConfig, PPOCRModel, Settings, TesseractConfig
from taskocr.engines import registry as reg
from taskocr.errors import EngineError, NoEngineAvailable
from taskocr.model import AttemptStatus, PageText
from taskocr.pipeline import Pipeline, ScanOptions

from support import LIST_LINES, render_list


def page_rgb():
    return imaging.load_image(render_list()).rgb


def joined_text(lines):
    return " ".join(ln.text for ln in sorted(lines, key=lambda ln: (ln.bbox.y, ln.bbox.x)))


@pytest.mark.slow
@pytest.mark.parametrize("model", [PPOCRModel.SMALL, PPOCRModel.TINY])
def test_ppocr_reads_a_rendered_list(model):
    engine = reg.engine_class("ppocr")(PPOCRConfig(model=model))
    assert engine.unavailable_reason() is None
    lines = engine.recognize(page_rgb()).lines
    text = joined_text(lines)
    assert fuzz.partial_ratio("Get approval", text) > 90
    assert fuzz.ratio(" ".join(s.strip() for s in LIST_LINES), text) > 80
    for ln in lines:  # boxes lie inside the image
        assert 0 <= ln.bbox.x and ln.bbox.x2 <= 1600 and 0 <= ln.bbox.y and ln.bbox.y2 <= 1100
        assert 0.0 <= ln.confidence <= 1.0


@pytest.mark.slow
def test_ppocr_second_pass_adds_other_readings_and_a_widened_segmentation():
    # the greedy decoder's two readings (the beam's own are in test_ppocr_beam.py)
    page = page_rgb()
    greedy = PPOCRConfig(decoder=Decoder.GREEDY)
    two = reg.engine_class("ppocr")(greedy).recognize(page)
    one = reg.engine_class("ppocr")(replace(greedy, second_stretch=0)).recognize(page)
    assert isinstance(two, PageText) and isinstance(one, list)
    # the first reading is the same either way; the second only adds readings that differ
    assert [(ln.text, ln.bbox) for ln in two.lines] == [(ln.text, ln.bbox) for ln in one]
    assert all(not ln.alternatives for ln in one)
    for ln in two.lines:
        assert all(alt.text != ln.text and 0.0 <= alt.confidence <= 1.0 for alt in ln.alternatives)
    # the widened reading's boxes are mapped back onto the page
    assert fuzz.partial_ratio("Get approval", joined_text(two.separated)) > 90
    assert all(0 <= ln.bbox.x and ln.bbox.x2 <= 1600 for ln in two.separated)
    # a second reading narrower than the first only gives alternatives
    narrower = reg.engine_class("ppocr")(replace(greedy, stretch=1.5, second_stretch=1.25)).recognize(page)
    assert isinstance(narrower, list)
    # the chain hands both segmentations on
    rec = reg.Registry(Settings(ppocr=greedy)).recognize(page, "ppocr")
    assert [ln.text for ln in rec.lines] == [ln.text for ln in two.lines]
    assert [ln.text for ln in rec.separated] == [ln.text for ln in two.separated]


@pytest.mark.slow
def test_tesseract_reads_a_rendered_list():
    engine = reg.engine_class("tesseract")(TesseractConfig())
    assert engine.unavailable_reason() is None, engine.unavailable_reason()
    engine.load()
    text = joined_text(engine.recognize(page_rgb()))
    assert fuzz.partial_ratio("Send invoices", text) > 80


def test_tesseract_declines_without_its_binary():
    engine = reg.engine_class("tesseract")(TesseractConfig(cmd="/nonexistent/tesseract"))
    assert "not installed" in engine.unavailable_reason()


def test_mock_is_not_in_the_auto_chain():
    assert "mock" not in reg.AUTO_ORDER
    assert reg.Registry(Settings()).names_for("auto") == reg.AUTO_ORDER


class Broken:
    name = "broken"

    def __init__(self, settings):
        pass

    def unavailable_reason(self):
        return None

    def load(self):
        pass

    def recognize(self, image):
        raise EngineError("broken", "server went away", transient=True)


class Absent(Broken):
    name = "absent"

    def unavailable_reason(self):
        return "no weights here"


def test_chain_falls_back_per_image_and_records_why(monkeypatch, caplog):
    monkeypatch.setitem(reg.ENGINES, "broken", f"{__name__}:Broken")
    monkeypatch.setitem(reg.ENGINES, "absent", f"{__name__}:Absent")
    monkeypatch.setattr(reg, "AUTO_ORDER", ("absent", "broken", "mock"))
    registry = reg.Registry(Settings())
    with caplog.at_level("INFO", logger="taskocr.engines"):
        rec = registry.recognize(np.zeros((100, 100, 3), np.uint8), "auto")
        registry.recognize(np.zeros((100, 100, 3), np.uint8), "auto")
    assert rec.engine == "mock"
    assert [(a.engine, a.status) for a in rec.attempts] == [
        ("absent", AttemptStatus.DECLINED), ("broken", AttemptStatus.FAILED), ("mock", AttemptStatus.OK),
    ]
    assert rec.attempts[0].reason == "no weights here"
    assert "server went away" in rec.attempts[1].reason
    announced = [r.message for r in caplog.records if "Initialized OCR service" in r.message]
    assert announced == [
        "Initialized OCR service with backend: broken",
        "Initialized OCR service with backend: mock",
    ]


def test_chain_with_nothing_available_raises_with_transient_flag(monkeypatch):
    monkeypatch.setitem(reg.ENGINES, "broken", f"{__name__}:Broken")
    monkeypatch.setitem(reg.ENGINES, "absent", f"{__name__}:Absent")
    monkeypatch.setattr(reg, "AUTO_ORDER", ("absent", "broken"))
    with pytest.raises(NoEngineAvailable) as exc:
        reg.Registry(Settings()).recognize(np.zeros((10, 10, 3), np.uint8), "auto")
    assert exc.value.transient
    assert "absent declined: no weights here" in exc.value.message


def test_an_engine_that_cannot_import_declines(monkeypatch):
    monkeypatch.setitem(reg.ENGINES, "ghost", "taskocr.engines.no_such_module:Ghost")
    engine = reg.Registry(Settings()).get("ghost")
    assert "cannot be imported" in engine.unavailable_reason()


@pytest.mark.slow
def test_pipeline_end_to_end_with_ppocr():
    result = Pipeline(Settings(people=("Hasan", "Ana", "Tom", "Liam"))).scan(render_list(), ScanOptions(engine="ppocr", ref_date=date(2025, 12, 3)))
    names = [t.title for t in result.tasks]
    assert names[:2] == ["Get approval", "Book the venue"]
    first = result.tasks[0]
    assert (first.assignee, first.due) == ("Hasan", date(2025, 12, 17))
    assert result.tasks[1].done
    assert result.tasks[2].assignee == "Tom" and result.tasks[2].due == date(2025, 12, 5)
    assert "October" in result.tasks[2].description
    assert result.engine == "ppocr"
    assert set(result.timings_ms) >= {"decode", "page", "ocr", "extract", "total"}
