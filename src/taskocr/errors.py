"""One error tree for the whole library; each class carries a stable machine-readable code.

The API turns ``InputError`` into HTTP 400/413/415, the CLI into exit 2; ``NoEngineAvailable``
into 503 / exit 3. ``transient`` tells the worker whether a retry can help.
"""

from __future__ import annotations


class TaskOCRError(Exception):
    code = "taskocr_error"
    transient = False

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InputError(TaskOCRError):
    """The caller's data is unusable: wrong type, corrupt, too large."""

    code = "invalid_input"


class UnsupportedFormat(InputError):
    code = "unsupported_format"


class CorruptImage(InputError):
    code = "corrupt_image"


class ImageTooLarge(InputError):
    code = "image_too_large"


class ConfigError(TaskOCRError):
    code = "config_error"


class EngineError(TaskOCRError):
    """An engine failed on an image. ``transient`` failures (timeouts, a server that is
    restarting) are worth retrying later; others are not."""

    code = "engine_error"

    def __init__(self, engine: str, message: str, *, transient: bool = False):
        super().__init__(f"{engine}: {message}")
        self.engine = engine
        self.transient = transient


class NoEngineAvailable(TaskOCRError):
    """Every engine in the chain declined or failed for this image."""

    code = "no_engine_available"

    def __init__(self, message: str, attempts: tuple = (), *, transient: bool = False):
        super().__init__(message)
        self.attempts = attempts
        self.transient = transient
