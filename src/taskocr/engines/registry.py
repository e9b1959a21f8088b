"""Engine names → factories, the ranked ``auto`` chain, and per-image fallback.

Built-in engines are listed here; engines from other packages register under the
``taskocr.engines`` entry-point group (``name = "package.module:EngineClass"``) and are used
when named, alone or in a chain (``OCR_BACKEND=myocr,ppocr``). See docs/engines.md.
"""

from __future__ import annotations

import functools
import importlib
import logging
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from typing import Callable

import numpy as np

from ..config import Settings
from ..errors import ConfigError, EngineError, NoEngineAvailable
from ..model import AttemptStatus, EngineAttempt, Line, PageText
from .base import Engine

log = logging.getLogger("taskocr.engines")

# name -> "module:Class"; modules are imported only when the engine is asked for.
ENGINES: dict[str, str] = {
    "dots": "taskocr.engines.dots:DotsEngine",
    "ppocr": "taskocr.engines.ppocr:PPOCREngine",
    "easyocr": "taskocr.engines.easyocr:EasyOCREngine",
    "tesseract": "taskocr.engines.tesseract:TesseractEngine",
    "mock": "taskocr.engines.mock:MockEngine",
}

# Ranked by measured task F1 on the benchmark (README, "Accuracy"). dots declines unless a
# server or weights are configured; mock is never part of it.
AUTO_ORDER: tuple[str, ...] = ("dots", "ppocr", "easyocr", "tesseract")

ENTRY_POINT_GROUP = "taskocr.engines"


@functools.cache
def plugins() -> dict[str, metadata.EntryPoint]:
    """Engines other packages register; a built-in name cannot be taken over."""
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.name not in ENGINES}


def known_engines() -> tuple[str, ...]:
    return (*ENGINES, *sorted(plugins()))


def engine_class(name: str) -> Callable[..., Engine]:
    """The class for an engine name; it is built with ``Settings.engine_config(name)``."""
    if name in ENGINES:
        module, _, cls = ENGINES[name].partition(":")
        return getattr(importlib.import_module(module), cls)
    plugin = plugins().get(name)
    if plugin is None:
        raise ConfigError(f"unknown engine {name!r}; choose one of: auto, {', '.join(known_engines())}")
    return plugin.load()


def plugin_version(name: str) -> str | None:
    plugin = plugins().get(name) if name not in ENGINES else None
    return plugin.dist.version if plugin is not None and plugin.dist is not None else None


class Registry:
    """Builds each engine once per process and hands out chains over them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._engines: dict[str, Engine] = {}
        self._announced: set[str] = set()
        self._lock = threading.Lock()

    def get(self, name: str) -> Engine:
        with self._lock:
            if name not in self._engines:
                try:
                    cls = engine_class(name)
                except ImportError as exc:  # an optional engine whose code cannot import here
                    cls = _missing(name, f"cannot be imported: {exc}")
                self._engines[name] = cls(self.settings.engine_config(name))
            return self._engines[name]

    def names_for(self, backend: str) -> tuple[str, ...]:
        """``auto``, one engine, or a comma-separated chain tried in that order."""
        names = tuple(n.strip() for n in backend.strip().lower().split(",") if n.strip())
        if names in ((), ("auto",)):
            return AUTO_ORDER
        for name in names:
            if name == "auto":
                raise ConfigError("'auto' cannot be part of a chain; list the engines instead")
            if name not in ENGINES and name not in plugins():
                engine_class(name)  # raises with the list of known names
        return names

    def load(self, engine: Engine) -> None:
        engine.load()
        with self._lock:
            first = engine.name not in self._announced
            self._announced.add(engine.name)
        if first:
            log.info("Initialized OCR service with backend: %s", engine.name)

    def preload(self, backend: str) -> str | None:
        """Load the first available engine of a chain (worker start). Returns its name."""
        for name in self.names_for(backend):
            engine = self.get(name)
            if engine.unavailable_reason() is None:
                self.load(engine)
                return name
        return None

    def recognize(self, image: np.ndarray, backend: str, people: tuple[str, ...] = ()) -> "Recognition":
        """Run the chain on one image: the first engine that is available and succeeds wins.
        Engines that read with the roster (``reads_with_roster``) are given ``people``."""
        attempts: list[EngineAttempt] = []
        transient = False
        load_ms = 0.0
        for name in self.names_for(backend):
            engine = self.get(name)
            reason = engine.unavailable_reason()
            if reason is not None:
                attempts.append(EngineAttempt(name, AttemptStatus.DECLINED, reason))
                continue
            try:
                t0 = time.perf_counter()
                self.load(engine)
                load_ms += (time.perf_counter() - t0) * 1000
                if getattr(engine, "reads_with_roster", False):
                    lines = engine.recognize(image, people=people)
                else:
                    lines = engine.recognize(image)
            except EngineError as exc:
                transient = transient or exc.transient
                attempts.append(EngineAttempt(name, AttemptStatus.FAILED, exc.message))
                log.warning("engine %s failed, trying the next: %s", name, exc.message)
                continue
            except Exception as exc:  # an engine bug must not take the chain down
                attempts.append(EngineAttempt(name, AttemptStatus.FAILED, f"{type(exc).__name__}: {exc}"))
                log.exception("engine %s crashed", name)
                continue
            attempts.append(EngineAttempt(name, AttemptStatus.OK))
            separated: tuple[Line, ...] = ()
            turned = 0.0
            if isinstance(lines, PageText):  # the engine also segmented the page a second way
                lines, separated, turned = list(lines.lines), lines.separated, lines.turned
            return Recognition(name, lines, tuple(attempts), load_ms, getattr(engine, "model", None),
                               getattr(engine, "model_version", None) or plugin_version(name), separated,
                               turned)
        summary = "; ".join(f"{a.engine} {a.status.value}: {a.reason}" for a in attempts)
        raise NoEngineAvailable(f"no OCR engine could read the image ({summary})", tuple(attempts), transient=transient)


def _missing(engine_name: str, reason: str):
    class Missing:
        name = engine_name

        def __init__(self, config=None):
            pass

        def unavailable_reason(self) -> str | None:
            return reason

        def load(self) -> None:
            raise EngineError(engine_name, reason)

        def recognize(self, image: np.ndarray) -> list[Line]:
            raise EngineError(engine_name, reason)

    return Missing


@dataclass(frozen=True)
class Recognition:
    engine: str
    lines: list[Line]
    attempts: tuple[EngineAttempt, ...]
    load_ms: float = 0.0  # model loading paid by this call (first use in the process)
    model: str | None = None
    model_version: str | None = None
    separated: tuple[Line, ...] = ()  # the page segmented a second way (model.PageText)
    turned: float = 0.0  # degrees the engine turned the page before reading it (model.PageText)
