"""``taskocr bench fonts|dataset|accuracy|speed|example|load …``: each verb is its module's main."""

from __future__ import annotations

import importlib
import sys

VERBS = {
    "fonts": "taskocr.bench.fonts",
    "dataset": "taskocr.bench.dataset",
    "accuracy": "taskocr.bench.accuracy",
    "speed": "taskocr.bench.speed",
    "example": "taskocr.bench.example",
    "load": "taskocr.bench.load",
    "real": "taskocr.bench.real",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "bench":  # called by ``taskocr`` with its whole argument list
        argv = argv[1:]
    if not argv or argv[0] not in VERBS:
        print("usage: taskocr bench {" + ",".join(VERBS) + "} [options]   (--help after a verb for more)",
              file=sys.stderr)
        return 2
    return importlib.import_module(VERBS[argv[0]]).main(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
