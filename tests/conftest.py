"""Fixtures shared by every test directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import render_list


@pytest.fixture(scope="session")
def list_photo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("img") / "list.jpg"
    path.write_bytes(render_list())
    return path
