"""The ``taskocr`` command: ``scan`` here; service and model commands live beside their code.

Exit codes: 0 success, 2 bad input (one-line reason on stderr), 3 no engine available,
1 anything unexpected. A batch scans every file it can and exits with the worst code.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from . import __version__
from .config import DateOrder, PPOCRModel, Settings
from .engines.lexicon import parse_languages
from .errors import ConfigError, InputError, NoEngineAvailable, TaskOCRError
from .extract.page import WHY_NO_TASKS
from .formats import READABLE
from .model import ScanResult

EXIT_OK, EXIT_ERROR, EXIT_INPUT, EXIT_NO_ENGINE = 0, 1, 2, 3

# commands whose code lives elsewhere, imported only when used (Django, huggingface_hub…)
_DELEGATED = {
    "serve": "taskocr.server.cli", "web": "taskocr.server.cli", "worker": "taskocr.server.cli",
    "beat": "taskocr.server.cli", "flower": "taskocr.server.cli",
    "createuser": "taskocr.server.cli", "token": "taskocr.server.cli",
    "models": "taskocr.models_cli",
    "bench": "taskocr.cli",  # the benchmark lives in the source checkout, see _bench
}


# what ``taskocr --help`` says of each command; each has its own --help for its options
_COMMAND_HELP = {
    "serve": "run the app on this machine: web app and API, an OCR worker and the scheduler",
    "web": "run only the web app and API (gunicorn), for a scaled-out set-up",
    "worker": "run an OCR worker (Celery) that takes jobs from the broker",
    "beat": "run the scheduler that re-queues lost jobs and removes old ones",
    "flower": "run Celery's monitoring UI",
    "createuser": "create a user (with --token: print its API token)",
    "token": "print the local user's API token",
    "models": "list the OCR engines and their weights, verify or download weights",
    "bench": "the accuracy/speed/load benchmark (from a source checkout)",
}

_EPILOG = f"""\
images: {READABLE} (first page).
exit codes: 0 done; 2 bad input (a file missing, unreadable or refused: the other files are
still scanned, and the batch exits 2); 1 any other failure on a file; 3 no OCR engine is
available (stops the batch). `taskocr COMMAND --help` describes each command's options."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too; keep its message to one line
        self.exit(EXIT_INPUT, f"taskocr: {message}\n")


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="taskocr", description="Photos of handwritten to-do lists in, structured tasks out.",
                epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"taskocr {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log engine loading and fallbacks")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    s = sub.add_parser("scan", help="read task lists from photos and print them (a table, or --json)",
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("images", nargs="+", metavar="IMAGE", help=f"{READABLE} files")
    # SUPPRESS: `taskocr -v scan …` and `taskocr scan … -v` both work
    s.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                   help="log engine loading and fallbacks")
    s.add_argument("--engine", default=None, help="auto (default: $OCR_BACKEND or auto), ppocr, tesseract, easyocr, dots, mock, an "
                        "installed engine, or a chain tried in order: tesseract,ppocr")
    s.add_argument("--model", choices=[m.value for m in PPOCRModel], help="PP-OCRv6 model size (default small)")
    s.add_argument("--json", action="store_true", help="one JSON object per image")
    s.add_argument("--people", default=None, help='known names, comma separated: "Ana,Tom"')
    s.add_argument("--date-order", choices=[o.value for o in DateOrder], default=None)
    s.add_argument("--ref-date", type=_iso_date, default=None, help="date for 'tomorrow', 'Friday'… (default: the photo's EXIF date, else today)")
    s.add_argument("--no-page", action="store_true", help="do not look for the sheet of paper")
    s.add_argument("--languages", default=None,
                   help="the beam decoder's word lists, e.g. en,de (default: $TASKOCR_LANGUAGES or en,auto: "
                        "English, and per page the language its words point to)")
    for name in _DELEGATED:
        sub.add_parser(name, help=_COMMAND_HELP[name], add_help=False)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # delegate before parsing so those commands own their whole argument list
    # taskocr's own -v may come before the command; what follows the command is the command's
    lead = 0
    while lead < len(argv) and argv[lead] in ("-v", "--verbose"):
        lead += 1
    rest = argv[lead:]
    if rest and rest[0] in _DELEGATED:
        _logging(lead > 0)
        if rest[0] == "bench":
            return _bench(rest[1:])
        import importlib

        return importlib.import_module(_DELEGATED[rest[0]]).main(rest)
    args = build_parser().parse_args(argv)
    _logging(args.verbose)
    if args.command != "scan":
        build_parser().print_help()
        return EXIT_INPUT
    return _scan(args)


def _checkout() -> Path | None:
    """The source checkout holding the benchmark: the working directory or one above it, else
    the tree an editable install points at. The benchmark is not part of the installed package."""
    here = Path.cwd().resolve()
    for root in (here, *here.parents, Path(__file__).resolve().parents[2]):
        if (root / "bench" / "__main__.py").is_file() and (root / "src" / "taskocr").is_dir():
            return root
    return None


def _bench(argv: list[str]) -> int:
    root = _checkout()
    if root is None:
        print("taskocr: the benchmark is not part of the installed package; it runs from a "
              "source checkout: cd into it and run `python -m bench` (or `taskocr bench`)",
              file=sys.stderr)
        return EXIT_INPUT
    sys.path.insert(0, str(root))
    from bench.__main__ import main as bench_main

    return bench_main(argv)


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _scan(args) -> int:
    from .pipeline import Pipeline, ScanOptions

    try:
        settings = Settings.from_env()
        ppocr = settings.ppocr
        if args.model:
            ppocr = replace(ppocr, model=PPOCRModel(args.model))
        if args.languages is not None:
            ppocr = replace(ppocr, languages=parse_languages(args.languages, "--languages"))
        settings = settings.with_overrides(ppocr=ppocr, find_page=False if args.no_page else None)
        pipeline = Pipeline(settings)
        options = ScanOptions(
            engine=args.engine,
            people=tuple(p.strip() for p in args.people.split(",") if p.strip()) if args.people is not None else None,
            date_order=DateOrder(args.date_order) if args.date_order else None,
            ref_date=args.ref_date,
        )
        if args.engine:
            pipeline.registry.names_for(args.engine)  # reject a bad name before reading files
        # load the model and lexicon once, up front, so per-image timings are the scan's own
        pipeline.preload(args.engine)
    except ConfigError as exc:
        print(f"taskocr: {exc}", file=sys.stderr)
        return EXIT_INPUT
    worst = EXIT_OK
    for path in args.images:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            print(f"taskocr: {path}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
            worst = max(worst, EXIT_INPUT)
            continue
        try:
            result = pipeline.scan(data, options)
        except InputError as exc:
            print(f"taskocr: {path}: {exc.message} [{exc.code}]", file=sys.stderr)
            worst = max(worst, EXIT_INPUT)
            continue
        except NoEngineAvailable as exc:
            print(f"taskocr: {path}: {exc.message}", file=sys.stderr)
            return EXIT_NO_ENGINE
        except TaskOCRError as exc:
            print(f"taskocr: {path}: {exc.message} [{exc.code}]", file=sys.stderr)
            worst = max(worst, EXIT_ERROR) if worst != EXIT_INPUT else worst
            continue
        if args.json:
            print(json.dumps({"file": str(path), **result.to_dict()}, ensure_ascii=False))
        else:
            print(render_table(path, result))
    return worst


def render_table(path: str, result: ScanResult) -> str:
    """A plain-text table for people; ``--json`` is the machine format."""
    cols = ("#", "done", "task", "assignee", "due", "priority", "conf")
    rows = [
        (
            str(t.position + 1),
            "[x]" if t.done else "[ ]",
            t.title + (f" — {t.description}" if t.description else ""),
            t.assignee or "",
            t.due.isoformat() if t.due else "",
            t.priority.value,
            f"{t.confidence:.2f}",
        )
        for t in result.tasks
    ]
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(cols)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    total = result.timings_ms.get("total", 0.0)
    head = (
        f"{path}: {len(result.tasks)} task(s) · engine {result.engine} · "
        f"{result.image.width}x{result.image.height} · {total / 1000:.2f} s"
    )
    out = [head, fmt.format(*cols), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*r) for r in rows]
    if not rows:
        why = WHY_NO_TASKS.get(result.page_kind or "")
        out.append(f"(no tasks found: the page {why})" if why else "(no tasks found)")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
