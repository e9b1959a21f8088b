"""The built wheel holds the library and the server, not the benchmark tooling."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build_wheel(tmp_path: Path) -> Path:
    # build from a copy so the checkout gets no build/ or egg-info litter
    src = tmp_path / "src-tree"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
                   check=True, capture_output=True, text=True)
    (wheel,) = out.glob("taskocr-*.whl")
    return wheel


def test_wheel_has_no_benchmark(tmp_path):
    names = zipfile.ZipFile(build_wheel(tmp_path)).namelist()
    assert "taskocr/pipeline.py" in names and "taskocr/cli.py" in names
    assert "taskocr/server/settings.py" in names
    top = {n.split("/")[0] for n in names}
    assert top <= {"taskocr", "taskocr-0.1.0.dist-info"}, top
    bench = [n for n in names if "bench" in n.split("/")[1:-1] or n.rsplit("/", 1)[-1] in
             ("fonts.py", "render.py", "dataset.py", "photo.py", "load.py", "vocab.py")]
    assert bench == []
