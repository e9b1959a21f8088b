"""The engine interface: a name, an availability check, and ``recognize``.

An engine is constructed from ``Settings`` (cheap: no model is loaded), tells whether it
can run here with ``unavailable_reason()`` (``None`` means yes), loads its model on
``load()`` (once per process; idempotent, thread-safe) and turns an RGB image into
``Line``s in that image's pixel coordinates. Every failure inside ``recognize`` is raised
as ``EngineError``.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

import numpy as np

from ..model import Line


@runtime_checkable
class Engine(Protocol):
    name: str

    def unavailable_reason(self) -> str | None: ...

    def load(self) -> None: ...

    def recognize(self, image: np.ndarray) -> list[Line]: ...


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
