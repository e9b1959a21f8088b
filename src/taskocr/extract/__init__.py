"""Recognised lines → tasks: layout, field parsers, OCR-error repair."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from .. import __version__


@functools.cache
def extractor_version() -> str:
    """taskocr's version plus a digest of the extraction code itself, so a stored result names
    the exact rules that produced it, also between releases."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"
