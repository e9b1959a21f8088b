"""The library core stays free of the service stack and of heavy engine imports."""

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "taskocr"
SERVICE_STACK = ("django", "celery", "rest_framework", "drf_spectacular", "kombu", "storages")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_nothing_outside_server_imports_django_or_celery():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "server" in path.relative_to(SRC).parts:
            continue
        for mod in imported_modules(path):
            if mod.split(".")[0] in SERVICE_STACK:
                offenders.append(f"{path.relative_to(SRC)} imports {mod}")
    assert offenders == []


def test_the_check_itself_sees_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from django.conf import settings\n")
    assert "django.conf" in list(imported_modules(bad))


def test_importing_the_pipeline_loads_no_heavy_engine_code():
    code = (
        "import sys, taskocr.pipeline, taskocr.cli;"
        "heavy = [m for m in ('torch', 'easyocr', 'transformers', 'openai', 'django', 'faster_paddle') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
