"""Engines that misbehave on purpose, registered into the web and worker processes the
tests start (see stack_main.py). Their state lives in files under TASKOCR_TEST_STATE, so
the test process can watch and steer them across process boundaries."""

from __future__ import annotations

import os
import time
from pathlib import Path

from taskocr.engines.mock import MockEngine
from taskocr.errors import EngineError


def _state() -> Path:
    path = Path(os.environ["TASKOCR_TEST_STATE"])
    path.mkdir(parents=True, exist_ok=True)
    return path


class SlowEngine(MockEngine):
    """The mock list, after a pause; leaves a marker (its pid) when it starts reading."""

    name = "slowmock"

    def recognize(self, image):
        (_state() / f"slow-started-{os.getpid()}").write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("TASKOCR_TEST_SLOW_S", "4")))
        return super().recognize(image)


class FlakyEngine(MockEngine):
    """Fails as a restarting server would (transient) the first N times, then reads."""

    name = "flaky"

    def recognize(self, image):
        counter = _state() / "flaky-calls"
        calls = int(counter.read_text()) if counter.exists() else 0
        counter.write_text(str(calls + 1))
        if calls < int(os.environ.get("TASKOCR_TEST_FLAKY_FAILS", "2")):
            raise EngineError(self.name, "server restarting (test)", transient=True)
        return super().recognize(image)


class BrokenEngine(MockEngine):
    """Fails for good: a retry cannot help."""

    name = "broken"

    def recognize(self, image):
        counter = _state() / "broken-calls"
        counter.write_text(str(int(counter.read_text()) + 1 if counter.exists() else 1))
        raise EngineError(self.name, "model file is corrupt (test)", transient=False)


def register() -> None:
    from taskocr.engines.registry import ENGINES

    ENGINES.setdefault("slowmock", "engines_for_tests:SlowEngine")
    ENGINES.setdefault("flaky", "engines_for_tests:FlakyEngine")
    ENGINES.setdefault("broken", "engines_for_tests:BrokenEngine")
