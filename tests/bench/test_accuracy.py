"""The accuracy runner end to end on a two-page set: real pipeline, the mock engine."""

from __future__ import annotations

import json
import shutil

import pytest

from bench import accuracy, fonts
from bench.render import render_small
from taskocr.config import Decoder, PPOCRModel

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
    assert tiny.engine == "ppocr" and tiny.overrides["ppocr"] == {"model": PPOCRModel.TINY}
    assert accuracy.resolve_engine("tesseract").overrides == {}
    assert accuracy.make_pipeline(tiny).settings.ppocr.model is PPOCRModel.TINY
    # an alias changes only what it names: the decoder aliases keep the model, and back
    beam = accuracy.make_pipeline(accuracy.resolve_engine("ppocr-beam")).settings.ppocr
    assert beam.decoder is Decoder.BEAM and beam.model is PPOCRModel.SMALL


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


def _write_set(root, pages):
    """pages: (Rendered, split) in order; returns the folder with a manifest."""
    entries = []
    for i, (r, split) in enumerate(pages):
        name = f"{i + 1:04d}"
        (root / f"{name}.jpg").write_bytes(r.jpeg)
        (root / f"{name}.json").write_text(json.dumps(dict(r.truth, image=f"{name}.jpg", split=split)))
        entries.append({"image": f"{name}.jpg", "truth": f"{name}.json", "split": split})
    (root / "manifest.json").write_text(json.dumps({"images": entries}))
    return root


def test_tasks_on_pages_that_are_not_lists_are_counted_as_invented(tiny_set, tmp_path):
    action = next(s for s in range(100) if render_small(s, font=FONT, size=(160, 120), kind="notes").truth["tasks"])
    pages = [(render_small(21, font=FONT, size=(800, 600)), "dev"),
             (render_small(22, font=FONT, size=(800, 600), kind="letter"), "dev"),
             (render_small(23, font=FONT, size=(800, 600), kind="prose"), "dev"),
             (render_small(action, font=FONT, size=(800, 600), kind="notes"), "dev")]
    (tmp_path / "mixed").mkdir()
    mixed = _write_set(tmp_path / "mixed", pages)
    report = accuracy.run(["mock"], mixed, out_dir=tmp_path)
    (row,) = report["engines"]
    assert (report["lists"], report["not_lists"]) == (1, 3) and row["images"] == 4
    assert row["truth_tasks"] == len(pages[0][0].truth["tasks"])  # F1 is over the list page only
    log = [json.loads(x) for x in (tmp_path / "accuracy-mock.jsonl").read_text().splitlines()]
    found = sum(e["tp"] for e in log if e["kind"] != "list")
    on_others = sum(len(e["pred"]) for e in log if e["kind"] != "list") - found
    assert on_others > 0 and row["invented"] == on_others  # the mock's list read off a letter and prose
    assert row["not_list_pages"] == 3 and row["action_items"] == 1 and row["action_items_found"] == found
    assert ("invented on a page that is not a list", on_others) in row["error_kinds"]
    # The same list page alone scores the same F1: the other pages do not dilute it.
    alone = accuracy.run(["mock"], tiny_set, limit=1, out_dir=tmp_path)["engines"][0]
    assert alone["f1"] == row["f1"]
    table = accuracy.format_table(report)
    assert "invented" in table and "1 lists, 3 not lists" in table
    assert table.splitlines()[3].split()[-1] == str(on_others)
    assert f"found: mock {found}/1" in table


def test_pages_without_is_list_count_as_lists(tiny_set, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(tiny_set, old)
    for p in old.glob("00*.json"):  # a set written before pages that are not lists existed
        t = json.loads(p.read_text())
        t.pop("is_list"), t.pop("kind")
        p.write_text(json.dumps(t))
    new_row = accuracy.run(["mock"], tiny_set, out_dir=tmp_path)["engines"][0]
    report = accuracy.run(["mock"], old, out_dir=tmp_path)
    row = report["engines"][0]
    assert report["not_lists"] == 0 and row["invented"] == 0
    assert (row["f1"], row["truth_tasks"]) == (new_row["f1"], new_row["truth_tasks"])
    assert accuracy.format_table(report).splitlines()[3].split()[-1] == "-"


def test_unseen_pages_are_scored_for_totals_only(tmp_path):
    pages = [(render_small(31, font=FONT, size=(800, 600)), "unseen"),
             (render_small(32, font=FONT, size=(800, 600), kind="notes"), "unseen")]
    (tmp_path / "u").mkdir()
    report = accuracy.run(["mock"], _write_set(tmp_path / "u", pages), out_dir=tmp_path / "logs")
    row = report["engines"][0]
    assert report["totals_only"] and not (tmp_path / "logs").exists()
    assert "error_kinds" not in row and "title_edits" not in row and "by_font" not in row
    assert row["by_split"] == {"unseen": row["f1"]} and row["pred_tasks"] > 0
    assert "totals only" in accuracy.format_table(report)
    assert "most common errors" not in accuracy.format_errors(report)
