"""Hostile and broken files given to `taskocr scan`: a one-line message and a non-zero exit
for each refused file (never a traceback), a normal result for odd but real images."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import samples

ROOT = Path(__file__).resolve().parents[2]

REFUSED = {  # name: (bytes, suffix, words the message must contain)
    "zero-bytes": (b"", ".jpg", "empty"),
    "text-as-jpg": (samples.TEXT, ".jpg", "not an image"),
    "html-as-jpg": (samples.HTML, ".jpg", "not an image"),
    "svg-as-jpg": (samples.SVG, ".jpg", "not an image"),
    "zip-as-jpg": (samples.zip_file(), ".jpg", "not an image"),
    "png-bomb": (samples.png_bomb(), ".png", "pixels"),
    "tiff-bomb": (samples.tiff_bomb(), ".tif", "pixels"),
    "gif-bomb": (samples.gif_bomb(), ".gif", "pixels"),
    "truncated-jpeg": (samples.truncated_jpeg(), ".jpg", "damaged"),
    "encrypted-pdf": (samples.pdf_encrypted(), ".pdf", "encrypted"),
    "heic-without-image": (samples.heic_without_image(), ".heic", "not an image"),
}


def _scan(*args) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "taskocr.cli", "scan", "--engine", "mock", *args],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_cli_refuses_with_a_message(tmp_path, name):
    data, suffix, words = REFUSED[name]
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    out = _scan(str(path))
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and words in out.stderr.lower(), out.stderr


def test_cli_missing_file_and_directory(tmp_path):
    for arg in (str(tmp_path / "nope.jpg"), str(tmp_path)):
        out = _scan(arg)
        assert out.returncode != 0 and "Traceback" not in out.stderr and out.stderr.strip()


@pytest.mark.parametrize("make", [samples.cmyk_jpeg, samples.png16, samples.gif_animated, samples.jpeg_bad_orientation,
                                  lambda: samples.pdf_pages(3)], ids=["cmyk", "png16", "gif-animated", "bad-orientation", "pdf"])
def test_cli_scans_odd_but_real_images(tmp_path, make):
    path = tmp_path / "list.img"
    path.write_bytes(make())
    out = _scan("--json", str(path))
    assert out.returncode == 0, out.stderr
    assert '"tasks"' in out.stdout
