"""End to end: `taskocr scan --engine dots --json photo.jpg` against the stand-in vLLM server.

The stand-in answers the layout dots.ocr would give for a handwritten list; the scan must
return exactly the tasks that layout holds, with due dates and assignees parsed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

pytest.importorskip("openai")

from dots_standin import Reply, StandIn  # noqa: E402

from taskocr import cli  # noqa: E402
from taskocr.config import Settings  # noqa: E402
from taskocr.pipeline import Pipeline, ScanOptions  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
W, H = 1600, 1200

LAYOUT = [
    {"bbox": [0.10, 0.04, 0.50, 0.10], "category": "Page-header", "text": "Wed 10 Dec"},
    {"bbox": [0.10, 0.12, 0.60, 0.19], "category": "Section-header", "text": "## Launch checklist"},
    {"bbox": [0.10, 0.24, 0.90, 0.30], "category": "List-item", "text": "- Get approval -> Hasan 17/12/2025"},
    {"bbox": [0.10, 0.34, 0.90, 0.40], "category": "List-item", "text": "- [x] Book the venue (Ana) !!"},
    {"bbox": [0.10, 0.44, 0.90, 0.50], "category": "List-item", "text": "- Send invoices @tom by Friday"},
    {"bbox": [0.17, 0.51, 0.90, 0.57], "category": "Text", "text": "for the October deliveries"},
    {"bbox": [0.10, 0.62, 0.90, 0.68], "category": "List-item", "text": "- Call the printer low"},
    {"bbox": [0.70, 0.80, 0.95, 0.95], "category": "Picture"},
]

EXPECTED = [
    # task_name, description, assignee, due_date, priority, done
    ("Get approval", "", "Hasan", "2025-12-17", "medium", False),
    ("Book the venue", "", "Ana", None, "high", True),
    ("Send invoices", "for the October deliveries", "Tom", "2025-12-12", "medium", False),
    ("Call the printer", "", None, None, "low", False),
]


def photo_bytes() -> bytes:
    """A photo-like JPEG of the list (the stand-in does not read it; the pipeline decodes it)."""
    img = Image.new("RGB", (W, H), (236, 232, 222))
    d = ImageDraw.Draw(img)
    font_path = REPO / "bench/fonts/kalam.woff"
    font = ImageFont.truetype(str(font_path), 60) if font_path.is_file() else ImageFont.load_default(60)
    for cell in LAYOUT:
        if cell.get("text"):
            d.text((cell["bbox"][0] * W, cell["bbox"][1] * H), cell["text"].lstrip("#- "), fill=(30, 30, 80), font=font)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def table(tasks):
    return [(t["task_name"], t["description"], t["assignee"], t["due_date"], t["priority"], t["done"]) for t in tasks]


@pytest.fixture
def server():
    with StandIn() as s:
        yield s
    assert not s.problems, s.problems


@pytest.fixture
def photo(tmp_path) -> Path:
    p = tmp_path / "photo.jpg"
    p.write_bytes(photo_bytes())
    return p


def test_cli_scan_returns_exactly_the_layouts_tasks(server, photo, monkeypatch, capsys):
    monkeypatch.setenv("DOTS_OCR_URL", server.url)
    monkeypatch.setenv("TASKOCR_HOME", str(photo.parent))
    server.queue(Reply(cells=LAYOUT))
    code = cli.main(["scan", "--engine", "dots", "--json", "--ref-date", "2025-12-10", str(photo)])
    out = capsys.readouterr().out
    assert code == 0, out
    result = json.loads(out)
    assert result["engine"] == "dots"
    assert table(result["tasks"]) == EXPECTED
    assert [t["position_index"] for t in result["tasks"]] == [0, 1, 2, 3]
    assert len(server.seen) == 1


def test_pipeline_boxes_land_where_the_layout_put_them(server):
    server.queue(Reply(cells=LAYOUT))
    settings = Settings.from_env({"DOTS_OCR_URL": server.url, "TASKOCR_FIND_PAGE": "0"})
    result = Pipeline(settings).scan(photo_bytes(), ScanOptions(engine="dots", ref_date=date(2025, 12, 10)))
    assert [t.task_name for t in result.tasks] == [e[0] for e in EXPECTED]
    first = result.tasks[0].bbox
    x1, y1, x2, y2 = LAYOUT[2]["bbox"]
    tol = 0.01 * W
    assert first.x == pytest.approx(x1 * W, abs=tol) and first.y == pytest.approx(y1 * H, abs=tol)
    assert first.x2 == pytest.approx(x2 * W, abs=tol) and first.y2 == pytest.approx(y2 * H, abs=tol)
    # the continuation line widened the invoice task's box downwards
    assert result.tasks[2].bbox.y2 == pytest.approx(LAYOUT[5]["bbox"][3] * H, abs=tol)


def test_auto_falls_back_per_image_when_the_server_fails(server, monkeypatch):
    from taskocr.engines import registry

    monkeypatch.setattr(registry, "AUTO_ORDER", ("dots", "mock"))
    server.queue(Reply(status=500), Reply(cells=LAYOUT))
    pipeline = Pipeline(Settings.from_env({"DOTS_OCR_URL": server.url}))
    first = pipeline.scan(photo_bytes(), ScanOptions(ref_date=date(2025, 12, 10)))
    second = pipeline.scan(photo_bytes(), ScanOptions(ref_date=date(2025, 12, 10)))
    assert first.engine == "mock" and first.engines_tried[0].status.value == "failed"
    assert second.engine == "dots" and table([t.to_dict() for t in second.tasks]) == EXPECTED


def test_the_installed_command(server, photo):
    """The same scan as a separate process, the way a user runs it."""
    env = {**os.environ, "DOTS_OCR_URL": server.url, "TASKOCR_HOME": str(photo.parent)}
    server.queue(Reply(cells=LAYOUT))
    proc = subprocess.run(
        [sys.executable, "-m", "taskocr.cli", "scan", "--engine", "dots", "--json", "--ref-date", "2025-12-10", str(photo)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert table(json.loads(proc.stdout)["tasks"]) == EXPECTED


def test_scan_exits_3_when_dots_is_named_but_down(photo, capsys, monkeypatch):
    with StandIn() as s:
        url = s.url
    monkeypatch.setenv("DOTS_OCR_URL", url)
    assert cli.main(["scan", "--engine", "dots", "--json", str(photo)]) == 3
    assert "not reachable" in capsys.readouterr().err
