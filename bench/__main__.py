"""``python -m bench fonts|dataset|accuracy|speed|example|load …``: each verb is its module's main.

Run from the checkout's root (``taskocr bench …`` delegates here when it runs from a checkout).
"""

from __future__ import annotations

import importlib
import sys

VERBS = {
    "fonts": "fetch the pinned handwriting fonts into bench/fonts",
    "dataset": "render a synthetic photo set with ground truth",
    "accuracy": "score engines on a data set (task F1, field accuracy)",
    "speed": "time each pipeline stage per engine, one process each",
    "example": "re-render docs/example.jpg and its truth",
    "load": "upload many photos to a running service and time the jobs",
    "real": "the real-handwriting set: check the manifest, extract its images, add transcripts",
}


def usage() -> str:
    lines = ["usage: python -m bench VERB [options]   (VERB --help for more)", ""]
    lines += [f"  {verb:<9} {what}" for verb, what in VERBS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in VERBS:
        print(usage(), file=sys.stderr if argv[:1] not in (["-h"], ["--help"]) else sys.stdout)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    return importlib.import_module(f"bench.{argv[0]}").main(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
