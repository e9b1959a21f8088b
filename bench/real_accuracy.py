"""Accuracy on real handwriting: the synthetic table's columns, plus what only real pages show.

    taskocr bench accuracy --data real --split dev --engine ppocr
    python -m bench real extract          # copy the images out of the mirrors first

Per engine, every image is scanned as a user would upload it, with a realistic roster (a team
of 30+ plus the page's own names; ``--no-roster`` for none). Reported:
- task F1 on list pages, pooled over all their tasks and averaged over pages;
- title CER and field accuracy over matched tasks;
- tasks invented on pages that are not lists (a page of prose should give none);
- line CER of the scan's ``lines`` and of the bare engine on the whole photo: for each true
  line, the character error rate of the best-matching recognised line, capped at 1.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from statistics import mean, median

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

from taskocr.errors import TaskOCRError
from . import real, scoring

FIELDS = ("assignee", "due_date", "priority", "done")


def line_cer(truth_lines: list[str], pred_lines: list[str]) -> list[float]:
    """One CER per true line: against the recognised line closest to it."""
    preds = [scoring.norm(p) for p in pred_lines if scoring.norm(p)]
    out = []
    for text in truth_lines:
        t = scoring.norm(text)
        if not t:
            continue
        if not preds:
            out.append(1.0)
            continue
        _, dist, _ = extractOne(t, preds, scorer=Levenshtein.distance)
        out.append(min(1.0, dist / len(t)))
    return out


class OcrCache:
    """Recognised lines per (page pixels, engine settings), so extractor work can be re-scored
    in seconds. Only for the benchmark: a cache hit skips the engine entirely."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        if folder:
            folder.mkdir(parents=True, exist_ok=True)

    def wrap(self, registry, fingerprint: str):
        if not self.folder:
            return registry
        from taskocr.engines.registry import Recognition
        from taskocr.model import Line

        inner, folder = registry.recognize, self.folder

        def recognize(image, backend, people=()):
            # the roster is part of the key: a decoder that reads with it gives other lines
            salt = fingerprint + ("|" + ",".join(people) if people else "")
            key = hashlib.sha256(image.tobytes() + str(image.shape).encode() + salt.encode()).hexdigest()
            path = folder / f"{key}.json"
            if path.is_file():
                d = json.loads(path.read_text())
                return Recognition(d["engine"], [Line.from_dict(x) for x in d["lines"]], (),
                                   separated=tuple(Line.from_dict(x) for x in d.get("separated", ())),
                                   turned=d.get("turned", 0.0))
            rec = inner(image, backend, people)
            path.write_text(json.dumps({"engine": rec.engine, "lines": [ln.to_dict() for ln in rec.lines],
                                        "separated": [ln.to_dict() for ln in rec.separated],
                                        "turned": rec.turned}))
            return rec

        registry.recognize = recognize
        return registry


def _bare_pipeline(pipeline):
    """The engine alone on the whole photo: no page finding, no widening, one reading."""
    from taskocr.pipeline import Pipeline

    from dataclasses import replace

    s = pipeline.settings
    return Pipeline(s.with_overrides(ppocr=replace(s.ppocr, stretch=1.0, second_stretch=0.0)))


def _bare_lines(bare, engine: str, data: bytes) -> list[str]:
    from taskocr import imaging

    s = bare.settings
    loaded = imaging.load_image(data, s.limits, work_long_side=s.work_long_side)
    return [ln.text for ln in bare.registry.recognize(loaded.rgb, engine).lines]


def run_engine(label: str, items: list[dict], data_dir: Path, roster: bool = True, bare: bool = False,
               cache: Path | None = None, log_path: Path | None = None) -> dict:
    from taskocr.pipeline import ScanOptions
    from .accuracy import make_pipeline, resolve_engine, task_to_dict

    choice = resolve_engine(label)
    pipeline = make_pipeline(choice)
    reason = pipeline.registry.get(choice.engine).unavailable_reason()
    row: dict = {"engine": label, "images": len(items)}
    if reason:
        return dict(row, unavailable=reason)
    pipeline.preload(choice.engine)
    # the decoder is part of the model version: "ppocr" reads with the beam only where installed
    version = getattr(pipeline.registry.get(choice.engine), "model_version", "")
    fingerprint = f"{label}|{pipeline.settings.ppocr.stretch}|{pipeline.settings.ppocr.second_stretch}|{version}"
    OcrCache(cache).wrap(pipeline.registry, fingerprint)
    if bare:
        bare = _bare_pipeline(pipeline)
        OcrCache(cache).wrap(bare.registry, f"bare|{label}|{version}")
    list_scores, other_scores, page_f1, seconds, cers, bare_cers, log = [], [], [], [], [], [], []
    for item in items:
        data = (data_dir / real.image_name(item)).read_bytes()
        truth = real.truth_of(item)
        opts = ScanOptions(engine=choice.engine, people=real.roster_for(item) if roster else ())
        t0 = time.perf_counter()
        failure, lines, preds = None, [], []
        try:
            result = pipeline.scan(data, opts)
            preds = [task_to_dict(t) for t in result.tasks]
            lines = [ln.text for ln in result.lines]
        except TaskOCRError as exc:
            failure = f"{exc.code}: {exc.message}"
        seconds.append(time.perf_counter() - t0)
        s = scoring.score_page(preds, truth)
        (list_scores if item["is_list"] else other_scores).append(s)
        if item["is_list"]:
            page_f1.append(scoring.aggregate([s])["f1"])
        page_cers = line_cer(item["lines"], lines)
        cers += page_cers
        entry = {"id": item["id"], "split": item["split"], "is_list": item["is_list"], "tp": s.tp,
                 "fp": s.fp, "fn": s.fn, "line_cer": round(mean(page_cers), 3) if page_cers else None,
                 "errors": s.errors, "ocr_lines": lines, "pred": preds, "failure": failure}
        if bare:
            page_bare = line_cer(item["lines"], _bare_lines(bare, choice.engine, data))
            bare_cers += page_bare
            entry["bare_line_cer"] = round(mean(page_bare), 3) if page_bare else None
        log.append(entry)
    if log_path:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text("".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in log))
    agg = scoring.aggregate(list_scores)
    row.update({
        "list_pages": len(list_scores), "other_pages": len(other_scores),
        "f1": agg["f1"], "precision": agg["precision"], "recall": agg["recall"],
        "f1_page_mean": mean(page_f1) if page_f1 else None,
        "interval": scoring.interval(list_scores),
        "title_cer": agg["title_cer"], "title_cer_all": agg["title_cer_all"],
        "invented": sum(s.fp for s in other_scores),
        "line_cer": mean(cers) if cers else None,
        "bare_line_cer": mean(bare_cers) if bare_cers else None,
        "sec_per_image": median(seconds) if seconds else None,
        "error_kinds": agg["error_kinds"],
    })
    for f in FIELDS:
        row[f"{f}_acc"] = agg[f"{f}_acc"]
    if log_path:
        row["error_log"] = str(log_path)
    return row


def run(engines: list[str], split: str | None, roster: bool = True, bare: bool = False,
        data_dir: Path = real.DATA, manifest: Path = real.MANIFEST, cache: Path | None = None,
        out_dir: Path | None = None, limit: int | None = None) -> dict:
    items = real.load_items(manifest, split)[:limit]
    missing = [i["id"] for i in items if not (data_dir / real.image_name(i)).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{len(missing)} image(s) not extracted yet (first: {missing[0]}); run: python -m bench real extract")
    rows = []
    for label in engines:
        # The sealed split's per-image rows are never written: only its totals are read.
        log_path = out_dir / f"real-{split or 'all'}-{label}.jsonl" if out_dir and split == "dev" else None
        rows.append(run_engine(label, items, data_dir, roster, bare, cache, log_path))
    return {"data": "real", "split": split or "all", "roster": roster, "images": len(items),
            "lists": sum(i["is_list"] for i in items), "engines": rows}


def _pct(v) -> str:
    return "    -" if v is None else f"{100 * v:5.1f}%"


def format_table(report: dict) -> str:
    head = (f"{'engine':<12} {'images':>6} {'lists':>5} {'task F1':>7} {'F1/page':>7} {'P':>6} {'R':>6} "
            f"{'title CER':>9} {'assignee':>8} {'due':>6} {'prio':>6} {'done':>6} {'invented':>8} "
            f"{'line CER':>8} {'bare CER':>8} {'s/img':>6}")
    out = [f"real handwriting  split={report['split']}  roster={'team+page' if report['roster'] else 'no'}",
           head, "-" * len(head)]
    for r in report["engines"]:
        if "unavailable" in r:
            out.append(f"{r['engine']:<12} unavailable: {r['unavailable']}")
            continue
        cer = lambda v: "     -" if v is None else f"{v:8.3f}"  # noqa: E731
        out.append(
            f"{r['engine']:<12} {r['images']:>6} {r['list_pages']:>5} {_pct(r['f1']):>7} {_pct(r['f1_page_mean']):>7} "
            f"{_pct(r['precision']):>6} {_pct(r['recall']):>6} {_pct(r['title_cer']):>9} "
            f"{_pct(r['assignee_acc']):>8} {_pct(r['due_date_acc']):>6} {_pct(r['priority_acc']):>6} "
            f"{_pct(r['done_acc']):>6} {r['invented']:>8} {cer(r['line_cer']):>8} {cer(r['bare_line_cer']):>8} "
            f"{r['sec_per_image']:>6.2f}"
        )
    for r in report["engines"]:
        ci = r.get("interval")
        if ci:
            (a, b), (c, d) = ci["f1"], ci["f1_page_mean"]
            out.append(f"{r['engine']}: {100 * ci['level']:.0f} % interval over the list pages (bootstrap, "
                       f"{ci['resamples']:,} resamples): pooled {100 * a:.1f}–{100 * b:.1f} %, "
                       f"per page {100 * c:.1f}–{100 * d:.1f} %")
    out.append(f"task F1 on the {report['lists']} list pages (pooled, and averaged per page); invented = tasks "
               "found on pages that are not lists beyond their written action items; line CER = per true "
               "line, CER of the closest recognised line (scan lines; bare = engine alone on the photo).")
    return "\n".join(out)
