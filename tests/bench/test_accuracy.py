"""The accuracy runner end to end on a two-page set: real pipeline, the mock engine."""

from __future__ import annotations

import json
import shutil

import pytest

from bench import accuracy, fonts
from bench.render import render_small
from taskocr.config import PPOCRModel

FONT = "caveat"


@pytest.fixture(scope="module")
def tiny_set(tmp_path_factory):
    if fonts.missing(names=[FONT]):
        if shutil.which("npm") is None:
            pytest.skip("benchmark fonts not installed and npm is missing")
        fonts.install(names=[FONT])
    root = tmp_path_factory.mktemp("set")
    entries = []
    for i, seed in enumerate((21, 22)):
        r = render_small(seed, font=FONT, size=(800, 600))
        name = f"{i + 1:04d}"
        (root / f"{name}.jpg").write_bytes(r.jpeg)
        (root / f"{name}.json").write_text(json.dumps(dict(r.truth, image=f"{name}.jpg")))
        entries.append({"image": f"{name}.jpg", "truth": f"{name}.json", "split": "dev"})
    (root / "manifest.json").write_text(json.dumps({"images": entries}))
    return root


def test_run_scores_every_image_and_writes_the_error_log(tiny_set, tmp_path):
    report = accuracy.run(["mock"], tiny_set, out_dir=tmp_path)
    (row,) = report["engines"]
    assert row["engine"] == "mock" and row["images"] == 2
    truth_tasks = sum(len(json.loads(p.read_text())["tasks"]) for p in tiny_set.glob("00*.json"))
    assert row["truth_tasks"] == truth_tasks
    assert row["pred_tasks"] > 0  # the mock engine's fixed list went through extraction
    assert 0.0 <= row["f1"] < 0.5  # and it does not describe these pages
    log = [json.loads(x) for x in (tmp_path / "accuracy-mock.jsonl").read_text().splitlines()]
    assert [e["image"] for e in log] == ["0001.jpg", "0002.jpg"]
    assert all(e["errors"] and e["ocr_lines"] for e in log)
    table = accuracy.format_table(report)
    assert "mock" in table and "task F1" in table
    assert set(row["by_font"]) == {FONT} and set(row["by_split"]) == {"dev"}


def test_unavailable_engine_is_a_row_not_a_crash(tiny_set, tmp_path, monkeypatch):
    for var in ("DOTS_OCR_URL", "DOTS_OCR_MODEL_PATH"):
        monkeypatch.delenv(var, raising=False)
    report = accuracy.run(["dots"], tiny_set, out_dir=tmp_path)
    assert "unavailable" in report["engines"][0]
    assert "unavailable" in accuracy.format_table(report)


def test_engine_aliases():
    tiny = accuracy.resolve_engine("ppocr-tiny")
    assert tiny.engine == "ppocr" and tiny.overrides["ppocr"].model is PPOCRModel.TINY
    assert accuracy.resolve_engine("tesseract").overrides == {}
    assert accuracy.make_pipeline(tiny).settings.ppocr.model is PPOCRModel.TINY


def test_main_prints_table_and_json(tiny_set, tmp_path, capsys):
    assert accuracy.main(["--engine", "mock", "--data", str(tiny_set), "--out", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["engines"][0]["images"] == 2
    assert accuracy.main(["--engine", "mock", "--data", str(tmp_path / "nothing")]) == 2


def test_a_crash_on_one_image_is_reported_not_fatal(tiny_set, tmp_path, monkeypatch):
    real = accuracy._scan

    def flaky(pipeline, choice, data, truth, roster, ref_date):
        if truth["image"] == "0001.jpg":
            raise ValueError("invalid literal for int()")
        return real(pipeline, choice, data, truth, roster, ref_date)

    monkeypatch.setattr(accuracy, "_scan", flaky)
    row = accuracy.run(["mock"], tiny_set, out_dir=tmp_path)["engines"][0]
    assert row["images"] == 2
    assert ("scan crashed (bug)", 1) in row["error_kinds"]
