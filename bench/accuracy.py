"""Recognition accuracy on the synthetic set, engines side by side, through the real pipeline.

    python -m bench accuracy --engine ppocr,tesseract --limit 40

Each engine scans every image (bytes in, as a user would upload them; the reference date
comes from the photo's EXIF, the roster and date order from the page's truth unless
``--no-roster``), and the predictions are scored by ``scoring``. A per-image error log
(JSON lines: what was missed, garbled or misread, with the OCR lines) goes to bench/out/.

Task F1 and the field columns are over list pages; on pages that are not lists (truth
``is_list: false``; a page without the key is a list) the table counts the tasks invented
there, i.e. predictions that match none of the page's explicit action items. Pages of the
"unseen" split are scored for totals only: no per-image log, no error kinds, no font rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import median

from taskocr.config import DateOrder, Decoder, PPOCRModel, Settings
from taskocr.errors import TaskOCRError
from . import scoring
from .dataset import load_truths
from .fonts import repo_root

DEFAULT_DATA = repo_root() / "bench" / "data" / "v2"
SPLITS = ("dev", "heldout", "fresh", "unseen")
DEFAULT_OUT = repo_root() / "bench" / "out"


@dataclass(frozen=True)
class EngineChoice:
    label: str  # as asked for, e.g. "ppocr-tiny"
    engine: str  # registry name
    overrides: dict


def resolve_engine(label: str) -> EngineChoice:
    """Bench aliases for engine variants that are settings, not separate engines."""
    aliases = {
        "ppocr-tiny": ("ppocr", {"ppocr": {"model": PPOCRModel.TINY}}),
        "ppocr-small": ("ppocr", {"ppocr": {"model": PPOCRModel.SMALL}}),
        "ppocr-greedy": ("ppocr", {"ppocr": {"decoder": Decoder.GREEDY}}),
        "ppocr-beam": ("ppocr", {"ppocr": {"decoder": Decoder.BEAM}}),
    }
    engine, overrides = aliases.get(label, (label, {}))
    return EngineChoice(label, engine, overrides)


def make_pipeline(choice: EngineChoice):
    from taskocr.pipeline import Pipeline

    settings = Settings.from_env()
    overrides = dict(choice.overrides)
    if "ppocr" in overrides:  # only what the alias names; the rest stays the environment's
        overrides["ppocr"] = replace(settings.ppocr, **overrides["ppocr"])
    return Pipeline(settings.with_overrides(backend=choice.engine, **overrides))


def task_to_dict(t) -> dict:
    return {
        "task_name": t.title, "description": t.description, "assignee": t.assignee,
        "due_date": t.due.isoformat() if t.due else None,
        "priority": getattr(t.priority, "value", t.priority), "done": bool(t.done),
    }


def _scan(pipeline, choice, data: bytes, truth: dict, roster: bool, ref_date: bool):
    from datetime import date

    from taskocr.pipeline import ScanOptions

    opts = ScanOptions(
        engine=choice.engine,
        people=tuple(truth["people"]) if roster else (),
        date_order=DateOrder(truth["date_order"]),
        ref_date=date.fromisoformat(truth["ref_date"]) if ref_date else None,
    )
    return pipeline.scan(data, opts)


def run_engine(choice: EngineChoice, data_dir: Path, truths: list[dict], roster: bool = True,
               ref_date: bool = False, log_path: Path | None = None, cache: Path | None = None) -> dict:
    pipeline = make_pipeline(choice)
    reason = pipeline.registry.get(choice.engine).unavailable_reason()
    row: dict = {"engine": choice.label, "images": 0}
    if reason:
        return dict(row, unavailable=reason)
    pipeline.preload(choice.engine)  # model load is not part of the per-image time
    if cache:  # recognised lines kept per page and settings: extractor work re-scores in seconds
        from .real_accuracy import OcrCache

        OcrCache(cache).wrap(pipeline.registry, f"{choice.label}|{pipeline.settings.ppocr}")
    scores, seconds, log = [], [], []
    others: list[scoring.PageScore] = []  # pages that are not lists
    for truth in truths:
        data = (data_dir / truth["image"]).read_bytes()
        t0 = time.perf_counter()
        failure, lines = None, []
        try:
            result = _scan(pipeline, choice, data, truth, roster, ref_date)
            preds = [task_to_dict(t) for t in result.tasks]
            lines = [ln.text for ln in result.lines]
        except TaskOCRError as exc:  # a failed image scores as "nothing found"
            preds, failure = [], f"{exc.code}: {exc.message}"
        except Exception as exc:  # a bug on one image must not hide the other results
            preds, failure = [], f"crash: {type(exc).__name__}: {exc}"
        seconds.append(time.perf_counter() - t0)
        s = scoring.score_page(preds, truth)
        if failure:
            kind = "scan crashed (bug)" if failure.startswith("crash:") else "scan failed"
            s.errors.insert(0, {"kind": kind, "detail": failure})
        (scores if is_list(truth) else others).append(s)
        log.append({
            "image": truth["image"], "font": truth["font"], "split": truth["split"],
            "kind": truth.get("kind", "list"),
            "tp": s.tp, "fp": s.fp, "fn": s.fn, "errors": s.errors, "ocr_lines": lines,
            "pred": preds, "truth_lines": [ln["text"] for ln in truth["lines"]],
            "seconds": round(seconds[-1], 3),
        })
    if log_path:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text("".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in log))
    lists = [t for t in truths if is_list(t)]
    row.update(scoring.aggregate(scores))
    row.update(scoring.aggregate_other(others))
    row["error_kinds"] = (Counter(dict(row["error_kinds"])) + Counter(
        dict(row.pop("other_error_kinds")))).most_common()
    row["images"] = len(truths)
    row["sec_per_image"] = median(seconds) if seconds else None
    row["by_split"] = {
        sp: scoring.aggregate([s for s, t in zip(scores, lists) if t["split"] == sp])["f1"]
        for sp in SPLITS if any(t["split"] == sp for t in lists)
    }
    fonts = sorted({t["font"] for t in lists})
    row["by_font"] = {
        f: scoring.aggregate([s for s, t in zip(scores, lists) if t["font"] == f])["f1"] for f in fonts
    }
    if log_path:
        row["error_log"] = str(log_path)
    return row


def is_list(truth: dict) -> bool:
    return truth.get("is_list", True)  # sets made before pages that are not lists existed


def totals_only(truths: list[dict]) -> bool:
    return any(t["split"] == "unseen" for t in truths)


def run(engines: list[str], data_dir: Path = DEFAULT_DATA, limit: int | None = None, roster: bool = True,
        split: str | None = None, out_dir: Path | None = DEFAULT_OUT, ref_date: bool = False,
        cache: Path | None = None) -> dict:
    data_dir = Path(data_dir)
    truths = load_truths(data_dir, split=split, limit=limit)
    sealed = totals_only(truths)
    rows = []
    for label in engines:
        choice = resolve_engine(label)
        log_path = out_dir / f"accuracy-{label}.jsonl" if out_dir and not sealed else None
        row = run_engine(choice, data_dir, truths, roster, ref_date, log_path, cache)
        if sealed:  # nothing that points at single pages or phrases of the unseen split
            for key in ("error_kinds", "title_edits", "by_font"):
                row.pop(key, None)
        rows.append(row)
    return {
        "data": str(data_dir), "images": len(truths), "split": split or "all", "roster": roster,
        "lists": sum(map(is_list, truths)), "not_lists": sum(not is_list(t) for t in truths),
        "totals_only": sealed, "match_cer": scoring.MATCH_CER, "engines": rows,
    }


def _pct(v) -> str:
    return "   -  " if v is None else f"{100 * v:5.1f}%"


def format_table(report: dict) -> str:
    head = (f"{'engine':<12} {'images':>6} {'task F1':>7} {'P':>6} {'R':>6} {'title CER':>9} "
            f"{'assignee':>8} {'due':>6} {'prio':>6} {'done':>6} {'desc':>6} {'s/img':>6} {'invented':>8}")
    lists, others = report.get("lists", report["images"]), report.get("not_lists", 0)
    out = [f"data {report['data']}  split={report['split']}  roster={'yes' if report['roster'] else 'no'}  "
           f"pages: {lists} lists, {others} not lists", head, "-" * len(head)]
    for r in report["engines"]:
        if "unavailable" in r:
            out.append(f"{r['engine']:<12} unavailable: {r['unavailable']}")
            continue
        out.append(
            f"{r['engine']:<12} {r['images']:>6} {_pct(r['f1']):>7} {_pct(r['precision']):>6} {_pct(r['recall']):>6} "
            f"{_pct(r['title_cer']):>9} {_pct(r['assignee_acc']):>8} {_pct(r['due_date_acc']):>6} "
            f"{_pct(r['priority_acc']):>6} {_pct(r['done_acc']):>6} {_pct(r['description_acc']):>6} "
            f"{r['sec_per_image']:>6.2f} {r['invented'] if others else '-':>8}"
        )
    out.append("task F1: a prediction matches a truth task when the title CER <= "
               f"{report['match_cer']:.2f} (case-insensitive, whitespace collapsed); field columns are "
               "accuracy over matched tasks; all of them over list pages only; s/img is the median wall time "
               "of one scan; invented: tasks predicted on the pages that are not lists, beyond their "
               "explicit action items.")
    found = [f"{r['engine']} {r['action_items_found']}/{r['action_items']}" for r in report["engines"]
             if r.get("action_items")]
    if found:
        out.append("explicit action items on pages that are not lists, found: " + ", ".join(found))
    if report.get("totals_only"):
        out.append("unseen split: totals only (no per-image log, no error kinds, no per-font rows).")
    return "\n".join(out)


def format_errors(report: dict, top: int = 10) -> str:
    out = []
    for r in report["engines"]:
        if "error_kinds" not in r:
            continue
        out.append(f"\n{r['engine']}: most common errors ({r.get('error_log', 'no log')})")
        out += [f"  {n:5d}  {kind}" for kind, n in r["error_kinds"][:top]]
        if r.get("by_font"):
            worst = sorted(r["by_font"].items(), key=lambda kv: kv[1])[:5]
            out.append("  hardest fonts (task F1): " + ", ".join(f"{f} {100 * v:.0f}%" for f, v in worst))
        if r.get("title_edits"):
            out.append("  title edits in matched tasks (truth>pred): "
                       + ", ".join(f"'{e}' {n}" for e, n in r["title_edits"][:top]))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="taskocr bench accuracy", description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", action="append", default=None,
                    help="engine(s), repeat or comma-separate: ppocr, ppocr-tiny, tesseract, easyocr, dots, mock")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, help="only the first N images")
    ap.add_argument("--split", choices=sorted({*SPLITS, "sealed"}), default=None,
                    help="synthetic: " + "|".join(SPLITS) + "; real: dev|sealed (read only the sealed totals)")
    ap.add_argument("--no-roster", action="store_true", help="do not tell the extractor who the people are")
    ap.add_argument("--ref-date", action="store_true", help="pass the truth's ref_date instead of relying on EXIF")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the per-image error logs go")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--bare", action="store_true", help="real: also the bare engine's line CER on the whole photo")
    ap.add_argument("--cache", type=Path, default=None,
                    help="real: keep recognised lines here and reuse them (extractor work only)")
    ap.add_argument("--errors", type=int, default=10, help="how many error kinds to list per engine")
    args = ap.parse_args(argv)
    engines = [e.strip() for arg in (args.engine or ["ppocr"]) for e in arg.split(",") if e.strip()]
    if str(args.data) == "real":
        return _main_real(args, engines)
    if not (args.data / "manifest.json").is_file():
        print(f"no data set at {args.data}; generate it: python -m bench dataset --out {args.data}",
              file=sys.stderr)
        return 2
    report = run(engines, args.data, args.limit, not args.no_roster, cache=args.cache, split=args.split,
                 out_dir=args.out, ref_date=args.ref_date)
    if args.json:
        print(json.dumps(report, indent=1, default=str))
    else:
        print(format_table(report))
        print(format_errors(report, args.errors))
    return 0


def _main_real(args, engines: list[str]) -> int:
    from . import real_accuracy

    if args.split not in (None, "dev", "sealed"):
        print("the real set has the splits dev and sealed", file=sys.stderr)
        return 2
    try:
        report = real_accuracy.run(engines, args.split, not args.no_roster, args.bare,
                                   cache=args.cache, out_dir=args.out, limit=args.limit)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=1, default=str))
    else:
        print(real_accuracy.format_table(report))
        if args.split == "dev":  # the sealed split's error kinds stay unread too
            print(format_errors(report, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
