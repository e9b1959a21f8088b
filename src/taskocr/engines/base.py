"""The engine interface: a name, what it runs, an availability check, and ``recognize``.

An engine is constructed from its own small config (``Settings.engine_config(name)``; cheap:
no model is loaded), tells whether it can run here with ``unavailable_reason()`` (``None``
means yes; anything else declines, and the chain moves on), loads its model on ``load()``
(once per process; idempotent, thread-safe) and turns an RGB image into ``Line``s in that
image's pixel coordinates, or into a ``PageText`` when it segmented the page two ways. Every failure inside ``recognize`` is raised as ``EngineError``.
``model`` and ``model_version`` say what produced a result; each result records them.
Engines from other packages register under the ``taskocr.engines`` entry-point group.
"""

from __future__ import annotations

import threading
from importlib import metadata
from typing import Protocol, runtime_checkable

import numpy as np

from ..model import Line, PageText


@runtime_checkable
class Engine(Protocol):
    name: str
    model: str | None  # which model: "small", "tiny", "eng", "english_g2", …
    model_version: str | None  # the weights' version, as exactly as the engine can tell

    def unavailable_reason(self) -> str | None: ...

    def load(self) -> None: ...

    def recognize(self, image: np.ndarray) -> list[Line] | PageText: ...


class LazyModel:
    """Holds one loaded model per engine instance, built on first use under a lock.

    Workers call ``load()`` at start so the first job does not pay for it; concurrent
    callers never build the model twice and nothing is mutated per call afterwards.
    """

    def __init__(self, factory):
        self._factory = factory
        self._lock = threading.Lock()
        self._value = None

    @property
    def loaded(self) -> bool:
        return self._value is not None

    def get(self):
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
        return self._value


def package_version(dist: str) -> str | None:
    """An installed distribution's version, or None when it is not installed."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None
