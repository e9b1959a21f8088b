"""Engines from other packages (the ``taskocr.engines`` entry-point group), each engine's own
config, and what a result records about what produced it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from support import render_list
from taskocr import __version__
from taskocr.config import PPOCRConfig, PPOCRModel, Settings
from taskocr.engines import registry as reg
from taskocr.errors import ConfigError
from taskocr.pipeline import Pipeline, ScanOptions, get_pipeline

ROOT = Path(__file__).resolve().parents[2]

PLUGIN = '''
from taskocr.model import BBox, Line


class Echo:
    """Reads nothing: returns its configured lines, so the test sees its options arrive."""
    name = "echo"
    model = "echo-base"

    def __init__(self, options):
        self.lines = options.get("lines", "- Water the plants").split("|")

    def unavailable_reason(self):
        return None

    def load(self):
        pass

    def recognize(self, image):
        h, w = image.shape[:2]
        return [Line(t, 0.9, BBox(w * 0.1, h * (0.1 + 0.1 * i), w * 0.5, h * 0.06)) for i, t in enumerate(self.lines)]


class Shy:
    name = "shy"
    model = None
    model_version = None

    def __init__(self, options):
        pass

    def unavailable_reason(self):
        return "needs a licence key"

    def load(self):
        raise AssertionError("never loaded")

    def recognize(self, image):
        raise AssertionError("never called")
'''


@pytest.fixture
def site(tmp_path):
    """An installed distribution that registers two engines, as pip would leave it."""
    site = tmp_path / "site"
    (site / "echo_ocr").mkdir(parents=True)
    (site / "echo_ocr" / "__init__.py").write_text(textwrap.dedent(PLUGIN))
    info = site / "echo_ocr-2.5.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: echo-ocr\nVersion: 2.5.0\n")
    (info / "entry_points.txt").write_text(
        "[taskocr.engines]\necho = echo_ocr:Echo\nshy = echo_ocr:Shy\nppocr = echo_ocr:Echo\n")
    return site


def scan(site, photo, *args, env=None):
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "src")]), **(env or {})}
    return subprocess.run([sys.executable, "-m", "taskocr", "scan", str(photo), "--json", *args],
                          capture_output=True, text=True, env=full_env, timeout=300)


def test_a_registered_engine_runs_with_its_options_and_records_its_version(site, tmp_path):
    photo = tmp_path / "list.png"
    photo.write_bytes(render_list(fmt="PNG"))
    run = scan(site, photo, "--engine", "echo", "--ref-date", "2025-12-03",
               env={"TASKOCR_ENGINE_ECHO_LINES": "- Call Ana tomorrow|- Pay rent !!"})
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["engine"] == "echo" and out["model"] == "echo-base"
    assert out["model_version"] == "2.5.0"  # the distribution's, as the engine states none
    assert [(t["title"], t["due"], t["priority"]) for t in out["tasks"]] == [
        ("Call Ana", "2025-12-04", "medium"), ("Pay rent", None, "high")]


def test_a_declining_engine_hands_over_to_the_next_in_the_chain(site, tmp_path):
    photo = tmp_path / "list.png"
    photo.write_bytes(render_list(fmt="PNG"))
    run = scan(site, photo, env={"OCR_BACKEND": "shy,echo"})
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["engines_tried"] == [
        {"engine": "shy", "status": "declined", "reason": "needs a licence key"},
        {"engine": "echo", "status": "ok", "reason": None}]


def test_a_package_cannot_take_over_a_built_in_name(site, tmp_path):
    photo = tmp_path / "list.png"
    photo.write_bytes(render_list(fmt="PNG"))
    run = scan(site, photo, "--engine", "mock")
    assert json.loads(run.stdout)["model"] == "fixed-list"
    code = ("import taskocr.engines.registry as r; print(r.engine_class('ppocr').__module__, "
            "sorted(r.plugins()), r.known_engines())")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "src")])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.startswith("taskocr.engines.ppocr ['echo', 'shy']")


def test_unknown_names_and_auto_inside_a_chain_are_refused():
    registry = reg.Registry(Settings())
    assert registry.names_for("tesseract, mock") == ("tesseract", "mock")
    with pytest.raises(ConfigError, match="unknown engine 'nope'"):
        registry.names_for("mock,nope")
    with pytest.raises(ConfigError, match="'auto' cannot be part of a chain"):
        registry.names_for("auto,mock")


def test_each_engine_gets_only_its_own_config():
    settings = Settings(ppocr=PPOCRConfig(model=PPOCRModel.TINY, second_stretch=0))
    engine = reg.Registry(settings).get("ppocr")
    assert (engine.model, engine.second_stretch) == ("tiny", 0)
    assert settings.engine_config("tesseract").cmd == "tesseract"
    assert Settings.from_env({"TASKOCR_ENGINE_ECHO_LINES": "a|b"}).engine_config("echo") == {"lines": "a|b"}
    # no engine module sees the whole Settings; only the registry, which hands the configs out
    for path in (ROOT / "src" / "taskocr" / "engines").glob("*.py"):
        if path.name == "registry.py":
            continue
        names = {a.name for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ImportFrom)
                 for a in n.names}
        assert "Settings" not in names, path.name


def test_the_shared_pipeline_follows_new_settings():
    first = get_pipeline(Settings(backend="mock"))
    assert get_pipeline(Settings(backend="mock")) is first
    other = get_pipeline(Settings(backend="mock", people=("Ana",)))
    assert other is not first and other.settings.people == ("Ana",)


def test_a_result_records_what_produced_it():
    result = Pipeline(Settings(backend="mock")).scan(render_list(), ScanOptions(ref_date=date(2025, 12, 3)))
    assert (result.engine, result.model, result.model_version) == ("mock", "fixed-list", __version__)
    version, _, digest = result.extractor_version.partition("+")
    assert version == __version__ and len(digest) == 10
