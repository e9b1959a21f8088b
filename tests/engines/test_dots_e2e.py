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

from dots_standin import Reply, StandIn, ink_lines  # noqa: E402

from taskocr import cli  # noqa: E402
from taskocr.config import Settings  # noqa: E402
from taskocr.pipeline import Pipeline, ScanOptions  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
W, H = 1600, 1200

# Where each line is written on the photo (fractions of it), and the block dots.ocr reports for
# it. The stand-in finds the written lines in the image it receives ("ink"), so the boxes it
# answers follow the pipeline's cropping and resizing, as the real model's would.
WRITTEN = [
    (0.10, 0.04, "Page-header", "Wed 10 Dec"),
    (0.10, 0.12, "Section-header", "## Launch checklist"),
    (0.10, 0.24, "List-item", "- Get approval -> Hasan 17/12/2025"),
    (0.10, 0.34, "List-item", "- [x] Book the venue (Ana) !!"),
    (0.10, 0.44, "List-item", "- Send invoices @tom by Friday"),
    (0.17, 0.52, "Text", "for the October deliveries"),
    (0.10, 0.62, "List-item", "- Call the printer low"),
]
LAYOUT = [{"bbox": "ink", "category": cat, "text": text} for _, _, cat, text in WRITTEN] + [
    {"bbox": [0.70, 0.80, 0.95, 0.95], "category": "Picture"},
]

EXPECTED = [
    # title, description, assignee, due, priority, done
    ("Get approval", "", "Hasan", "2025-12-17", "medium", False),
    ("Book the venue", "", "Ana", None, "high", True),
    ("Send invoices", "for the October deliveries", "Tom", "2025-12-12", "medium", False),
    ("Call the printer", "", None, None, "low", False),
]


def photo_bytes() -> bytes:
    """A photo-like JPEG with the list written on it."""
    img = Image.new("RGB", (W, H), (236, 232, 222))
    d = ImageDraw.Draw(img)
    font_path = REPO / "bench/fonts/kalam.woff"
    font = ImageFont.truetype(str(font_path), 56) if font_path.is_file() else ImageFont.load_default(56)
    for x, y, _, text in WRITTEN:
        d.text((x * W, y * H), text.lstrip("#- ") if text.startswith("#") else text, fill=(30, 30, 80), font=font)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def table(tasks):
    return [(t["title"], t["description"], t["assignee"], t["due"], t["priority"], t["done"]) for t in tasks]


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
    code = cli.main(["scan", "--engine", "dots", "--json", "--ref-date", "2025-12-10", "--people", "Hasan,Ana,Tom,Liam", str(photo)])
    out = capsys.readouterr().out
    assert code == 0, out
    result = json.loads(out)
    assert result["engine"] == "dots"
    assert table(result["tasks"]) == EXPECTED
    assert [t["position"] for t in result["tasks"]] == [0, 1, 2, 3]
    assert len(server.seen) == 1


@pytest.mark.parametrize("find_page", ["1", "0"])
def test_pipeline_boxes_land_on_the_writing(server, find_page):
    data = photo_bytes()
    written = ink_lines(Image.open(io.BytesIO(data)))
    assert len(written) == len(WRITTEN)
    server.queue(Reply(cells=LAYOUT))
    settings = Settings.from_env({"DOTS_OCR_URL": server.url, "TASKOCR_FIND_PAGE": find_page})
    result = Pipeline(settings).scan(data, ScanOptions(engine="dots", ref_date=date(2025, 12, 10), people=("Hasan", "Ana", "Tom", "Liam")))
    assert [t.title for t in result.tasks] == [e[0] for e in EXPECTED]
    tol = 0.015 * W
    for task, line in zip(result.tasks, (2, 3, 4, 6)):
        x1, y1, x2, y2 = written[line]
        b = task.bbox
        assert (b.x, b.y) == pytest.approx((x1 * W, y1 * H), abs=tol), task.title
        assert b.x2 == pytest.approx(x2 * W, abs=tol), task.title
        if task.description:  # the continuation line widened the box downwards
            assert b.y2 == pytest.approx(written[5][3] * H, abs=tol)
        else:
            assert b.y2 == pytest.approx(y2 * H, abs=tol), task.title


def test_auto_falls_back_per_image_when_the_server_fails(server, monkeypatch):
    from taskocr.engines import registry

    monkeypatch.setattr(registry, "AUTO_ORDER", ("dots", "mock"))
    server.queue(Reply(status=500), Reply(cells=LAYOUT))
    pipeline = Pipeline(Settings.from_env({"DOTS_OCR_URL": server.url}))
    first = pipeline.scan(photo_bytes(), ScanOptions(ref_date=date(2025, 12, 10), people=("Hasan", "Ana", "Tom", "Liam")))
    second = pipeline.scan(photo_bytes(), ScanOptions(ref_date=date(2025, 12, 10), people=("Hasan", "Ana", "Tom", "Liam")))
    assert first.engine == "mock" and first.engines_tried[0].status.value == "failed"
    assert second.engine == "dots" and table([t.to_dict() for t in second.tasks]) == EXPECTED


def test_the_installed_command(server, photo):
    """The same scan as a separate process, the way a user runs it."""
    env = {**os.environ, "DOTS_OCR_URL": server.url, "TASKOCR_HOME": str(photo.parent)}
    server.queue(Reply(cells=LAYOUT))
    proc = subprocess.run(
        [sys.executable, "-m", "taskocr.cli", "scan", "--engine", "dots", "--json", "--ref-date", "2025-12-10", "--people", "Hasan,Ana,Tom,Liam", str(photo)],
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
