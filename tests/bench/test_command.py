"""`python -m bench` from the checkout, and `taskocr bench` delegating to it (or saying where it is)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, cwd, pythonpath):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, pythonpath))}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_python_m_bench_lists_its_verbs():
    out = run(["-m", "bench", "--help"], ROOT, [ROOT / "src"])
    assert out.returncode == 0, out.stderr
    for verb in ("fonts", "dataset", "accuracy", "speed", "example", "load"):
        assert f"  {verb} " in out.stdout


def test_taskocr_bench_runs_the_checkouts_benchmark_from_elsewhere(tmp_path):
    out = run(["-m", "taskocr", "bench", "dataset", "--help"], tmp_path, [ROOT / "src"])
    assert out.returncode == 0, out.stderr
    assert "--seed" in out.stdout and "--split" in out.stdout


def test_an_installed_copy_outside_a_checkout_says_where_the_benchmark_is(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "src" / "taskocr", site / "taskocr", ignore=shutil.ignore_patterns("__pycache__"))
    out = run(["-m", "taskocr", "bench", "accuracy"], tmp_path, [site])
    assert out.returncode == 2
    assert "not part of the installed package" in out.stderr and "python -m bench" in out.stderr
