"""Images of handwritten-style lists, rendered at test time (importable as ``support``)."""

from __future__ import annotations

import importlib.machinery
import io
import sys
import types
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "bench" / "fonts"

LIST_LINES = (
    "TODO List",
    "- Get approval -> Hasan 17/12/2025",
    "- [x] Book the venue (Ana) !!",
    "- Send invoices @tom by Friday",
    "      for the October deliveries",
    "- Call the printer low",
)


def handwriting_font(size: int, name: str = "caveat") -> ImageFont.FreeTypeFont:
    """A handwriting font from the benchmark's set-up (bench/fonts), else Pillow's own."""
    path = FONT_DIR / f"{name}.woff"
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def render_list(lines=LIST_LINES, *, size=(1600, 1100), font_size=70, fmt="JPEG", exif=None) -> bytes:
    img = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(img)
    font = handwriting_font(font_size)
    step = font_size * 2
    for i, text in enumerate(lines):
        draw.text((80, 60 + i * step), text, font=font, fill=(20, 30, 120))
    buf = io.BytesIO()
    kw = {"quality": 90} if fmt == "JPEG" else {}
    if exif is not None:
        kw["exif"] = exif
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def stand_in_module(monkeypatch, name: str, **attrs) -> types.ModuleType:
    """Put a stand-in module into ``sys.modules`` for one test (found by find_spec too)."""
    m = types.ModuleType(name)
    m.__spec__ = importlib.machinery.ModuleSpec(name, None)
    m.__dict__.update(attrs)
    monkeypatch.setitem(sys.modules, name, m)
    return m
