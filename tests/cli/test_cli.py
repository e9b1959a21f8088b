"""The ``taskocr`` command as a user runs it: a subprocess, its output and its exit code."""

import io
import json
import os
import re
import subprocess
import sys

import pytest

from support import render_list

TASK_FIELDS = {"title", "description", "assignee", "due", "priority", "done", "position", "confidence", "bbox"}


def taskocr(*args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "taskocr", *args], capture_output=True, text=True, timeout=300, env=full_env
    )


@pytest.mark.slow
def test_scan_json_has_the_api_fields(list_photo):
    run = taskocr("scan", str(list_photo), "--json", "--ref-date", "2025-12-03", "--people", "Hasan,Ana,Tom")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["engine"] == "ppocr"
    assert out["engines_tried"][-1] == {"engine": "ppocr", "status": "ok", "reason": None}
    assert out["engines_tried"][0]["engine"] == "dots" and out["engines_tried"][0]["status"] == "declined"
    assert out["image"]["width"] == 1600 and out["image"]["height"] == 1100
    assert out["lines"] and {"text", "confidence", "bbox"} <= set(out["lines"][0])
    assert set(out["timings_ms"]) >= {"decode", "page", "ocr", "extract", "total"}
    tasks = out["tasks"]
    assert all(set(t) == TASK_FIELDS for t in tasks)
    first = tasks[0]
    assert first["title"] == "Get approval"
    assert first["assignee"] == "Hasan" and first["due"] == "2025-12-17"
    assert first["priority"] in {"low", "medium", "high", "urgent"}
    assert 0 < first["bbox"]["x"] < 1600 and 0 < first["bbox"]["width"]
    # what produced it
    assert out["model"] == "small" and "faster-paddle 1.0.4" in out["model_version"]
    assert out["extractor_version"].startswith("0.1.0+")
    assert out["page_kind"] == "list"


PROSE = ["Yesterday I walked down to the market with my", "sister and we bought apples and a loaf",
         "of bread. The sun was out for the first time", "in weeks, so we sat by the river and talked",
         "about the summer, the garden and the old house.", "It was a lovely day and I wanted to write it."]


@pytest.mark.slow
def test_a_page_of_prose_gives_its_lines_and_says_why_it_gave_no_task(tmp_path):
    photo = tmp_path / "diary.jpg"
    photo.write_bytes(render_list(PROSE, size=(1800, 1100), font_size=56))
    run = taskocr("scan", str(photo), "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert (out["page_kind"], out["tasks"]) == ("text", [])
    assert len(out["lines"]) >= 5
    table = taskocr("scan", str(photo))
    assert table.returncode == 0, table.stderr
    assert "(no tasks found: the page reads as running text" in table.stdout


@pytest.mark.slow
def test_scan_reads_with_the_languages_asked_for(list_photo):
    run = taskocr("scan", str(list_photo), "--json", "--languages", "en,de", "--ref-date", "2025-12-03")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["model_version"].endswith("beam decoder (en+de)")
    assert out["tasks"][0]["title"] == "Get approval"  # English still reads as English
    bad = taskocr("scan", str(list_photo), "--languages", "en,xx")
    assert bad.returncode == 2 and "--languages='en,xx'" in bad.stderr and not bad.stdout


def test_scan_table_with_mock_engine(list_photo):
    run = taskocr("scan", str(list_photo), "--engine", "mock", "--ref-date", "2025-12-03")
    assert run.returncode == 0, run.stderr
    assert "engine mock" in run.stdout
    assert "Get approval" in run.stdout and "Hasan" in run.stdout and "2025-12-17" in run.stdout


def test_one_json_object_per_image(list_photo, tmp_path):
    second = tmp_path / "b.png"
    second.write_bytes(render_list(fmt="PNG"))
    run = taskocr("scan", str(list_photo), str(second), "--engine", "mock", "--json")
    assert run.returncode == 0, run.stderr
    objs = [json.loads(line) for line in run.stdout.splitlines()]
    assert [o["file"] for o in objs] == [str(list_photo), str(second)]


@pytest.mark.parametrize(
    "args, needle",
    [
        (["scan", "/no/such/file.jpg"], "cannot read the file"),
        (["scan", "{text}"], "unsupported_format"),
        (["scan", "{photo}", "--engine", "nope"], "unknown engine"),
        (["scan", "{photo}", "--ref-date", "17/12/2025"], "not a date"),
        (["scan"], "required"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, needle, tmp_path, list_photo):
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    args = [a.format(text=text, photo=list_photo) for a in args]
    run = taskocr(*args)
    assert run.returncode == 2
    assert needle in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_no_engine_available_exits_3(list_photo):
    run = taskocr("scan", str(list_photo), "--engine", "tesseract", env={"TASKOCR_TESSERACT_CMD": "/nonexistent/tesseract"})
    assert run.returncode == 3
    assert "tesseract declined" in run.stderr


def test_verbose_logs_the_engine_once(list_photo):
    run = taskocr("-v", "scan", str(list_photo), str(list_photo), "--engine", "mock")
    assert run.returncode == 0
    assert run.stderr.count("Initialized OCR service with backend: mock") == 1


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_before_or_after_the_command(where, list_photo):
    args = ["scan", str(list_photo), "--engine", "mock"]
    run = taskocr(*(["-v", *args] if where == "before" else [*args, "-v"]))
    assert run.returncode == 0, run.stderr
    assert "Initialized OCR service with backend: mock" in run.stderr
    quiet = taskocr(*args)
    assert "Initialized" not in quiet.stderr


def test_a_batch_with_a_missing_file_scans_the_others_and_exits_2(list_photo, tmp_path):
    run = taskocr("scan", str(list_photo), str(tmp_path / "gone.jpg"), str(list_photo), "--engine", "mock", "--json")
    assert run.returncode == 2
    assert len(run.stdout.splitlines()) == 2  # both readable files were scanned
    assert f"{tmp_path / 'gone.jpg'}: cannot read the file" in run.stderr


def test_gif_and_bmp_are_read_like_the_service_reads_them_and_icons_are_not(tmp_path):
    from PIL import Image

    page = Image.open(io.BytesIO(render_list(fmt="PNG")))
    paths = []
    for fmt in ("GIF", "BMP", "ICO"):
        path = tmp_path / f"list.{fmt.lower()}"
        page.save(path, format=fmt)
        paths.append(str(path))
    run = taskocr("scan", *paths, "--engine", "mock", "--json")
    assert run.returncode == 2
    read = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(o["file"], o["image"]["format"]) for o in read] == [(paths[0], "GIF"), (paths[1], "BMP")]
    assert "list.ico: not an image we can read (JPEG, PNG, WebP, TIFF, HEIC/HEIF, AVIF, GIF, BMP or PDF)" in run.stderr


def test_help_describes_every_command():
    from taskocr.cli import _DELEGATED

    run = taskocr("--help")
    assert run.returncode == 0
    described = dict(re.findall(r"^ {4}(\w+) {2,}(.+)$", run.stdout, flags=re.M))
    assert set(described) == {"scan", *_DELEGATED}
    assert all("--help" not in text and len(text) > 15 for text in described.values()), described
    assert "exit codes:" in run.stdout and "GIF, BMP" in run.stdout


def test_options_after_a_service_command_reach_it(monkeypatch):
    """`taskocr serve --verbose` keeps its flag; taskocr's own -v goes before the command."""
    pytest.importorskip("django")
    from taskocr import cli
    from taskocr.server import cli as server_cli

    seen = []
    monkeypatch.setattr(server_cli, "main", lambda argv: seen.append(argv) or 0)
    assert cli.main(["-v", "serve", "--verbose", "--port", "8123"]) == 0
    assert seen == [["serve", "--verbose", "--port", "8123"]]
