"""Score predicted tasks against a page's truth: matching, metrics and named error kinds.

Titles are compared case-insensitively with whitespace collapsed (all-caps fonts and the
OCR's casing say nothing about extraction). CER is Levenshtein distance over the truth
title's length. A prediction matches a truth task when that CER is at most 0.20; matching
is one-to-one, greedy from the closest pair (ties by position), which for lists of 3-9
clearly distinct titles gives the same pairs as an optimal assignment.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import mean

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

MATCH_CER = 0.20
FIELDS = ("assignee", "due_date", "priority", "done", "description")
_KEYWORDS = ("assigned to:", "owner:", "due", "due:", "by", "->", "=>")


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "")).strip().casefold()


def cer(pred: str, truth: str) -> float:
    p, t = norm(pred), norm(truth)
    return Levenshtein.distance(p, t) / max(1, len(t))


def edits(pred: str, truth: str) -> list[str]:
    """Character edits that turn the truth title into the prediction: "a>o", "e>", ">l"."""
    t, p = norm(truth), norm(pred)
    out = []
    for op in Levenshtein.editops(t, p):
        src = t[op.src_pos] if op.tag != "insert" else ""
        dst = p[op.dest_pos] if op.tag != "delete" else ""
        out.append(f"{src}>{dst}")
    return out


def match(preds: list[dict], truths: list[dict], threshold: float = MATCH_CER) -> list[tuple[int, int, float]]:
    """(truth index, pred index, CER) pairs, one-to-one, each with CER <= threshold."""
    pairs = sorted(
        (c, ti, pi)
        for ti, t in enumerate(truths)
        for pi, p in enumerate(preds)
        if (c := cer(p.get("task_name", ""), t["task_name"])) <= threshold
    )
    used_t, used_p, out = set(), set(), []
    for c, ti, pi in pairs:
        if ti not in used_t and pi not in used_p:
            used_t.add(ti)
            used_p.add(pi)
            out.append((ti, pi, c))
    return sorted(out)


def field_ok(name: str, pred: dict, truth: dict) -> bool:
    p, t = pred.get(name), truth.get(name)
    if name == "assignee":  # without a roster the parser cannot know "@tom" is "Tom"
        return norm(p) == norm(t)
    if name == "description":
        return (not norm(t) and not norm(p)) or (bool(norm(t)) and cer(p or "", t) <= MATCH_CER)
    if name == "priority":
        return (p or "medium") == (t or "medium")
    if name == "done":
        return bool(p) == bool(t)
    return (p or None) == (t or None)


@dataclass
class PageScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    cers: list[float] = field(default_factory=list)
    fields: dict[str, list[bool]] = field(default_factory=lambda: {f: [] for f in FIELDS})
    errors: list[dict] = field(default_factory=list)


def _field_error(name: str, pred: dict, truth: dict) -> str:
    forms = truth.get("forms", {})
    form_key = {"due_date": "due", "done": "done"}.get(name, name)
    form = forms.get(form_key) or ""
    p, t = pred.get(name), truth.get(name)
    label = {"due_date": "due date"}.get(name, name)
    if name == "done":
        return f"done: {'missed' if t else 'spurious'}" + (f" [{form}]" if t and form else "")
    if name == "priority":
        if (t or "medium") == "medium":
            return f"priority: spurious ({p})"
        kind = "missed" if (p or "medium") == "medium" else f"wrong ({p})"
        return f"priority: {kind} [{form}]"
    if not t:
        return f"{label}: spurious"
    if not p:
        return f"{label}: missed" + (f" [{form}]" if form else "")
    return f"{label}: wrong" + (f" [{form}]" if form else "")


def _failed_field(pred: dict | None, truth: dict) -> str | None:
    """The first of due date / assignee / priority the truth has and the prediction lacks."""
    forms = truth.get("forms", {})
    for name, key, label in (("due_date", "due", "due date"), ("assignee", "assignee", "assignee"),
                             ("priority", "priority", "priority")):
        present = truth.get(name) not in (None, "medium") or (name == "priority" and key in forms)
        if present and not (pred and field_ok(name, pred, truth)):
            return f"{label} [{forms.get(key, '?')}]"
    return None


def _classify_missed(t: dict, preds: list[dict], free: set[int]) -> tuple[str, dict, int | None]:
    """Why a truth task found no match, and which unmatched prediction (if any) it became."""
    title = norm(t["task_name"])
    best = (0.0, None, None)  # (alignment score, pred index, alignment)
    for pi in sorted(free):
        ptitle = norm(preds[pi].get("task_name"))
        if not ptitle:
            continue
        shorter, longer = (title, ptitle) if len(title) <= len(ptitle) else (ptitle, title)
        al = fuzz.partial_ratio_alignment(shorter, longer)
        if al.score > best[0]:
            best = (al.score, pi, al)
    info = {"truth": t["task_name"]}
    if best[1] is not None and best[0] >= 85:
        pi, al = best[1], best[2]
        ptitle = norm(preds[pi].get("task_name"))
        info.update(pred=preds[pi].get("task_name"))
        if len(ptitle) < len(title):
            return "missed: title cut short (line split, or words taken as a field)", info, pi
        before, after = ptitle[: al.dest_start].strip(), ptitle[al.dest_end:].strip()
        info.update(extra=(before + " | " + after).strip(" |"))
        if before and len(before) >= len(after):
            return "missed: marker/checkbox/priority residue before the title", info, pi
        field = _failed_field(preds[pi], t)
        if field:
            return f"missed: unparsed {field} left in the title", info, pi
        # The field itself was read, but its keyword ("assigned to:", "due", "by") stayed behind.
        kw = max(_KEYWORDS, key=lambda k: fuzz.ratio(k, after))
        if fuzz.ratio(kw, after) >= 60:
            return f"missed: leftover '{kw}' in the title (the field itself was read)", info, pi
        return "missed: extra text after the title (merged line?)", info, pi
    scored = [(cer(preds[pi].get("task_name", ""), t["task_name"]), pi) for pi in free]
    c, pi = min(scored, default=(1.0, None))
    if pi is not None and c <= 0.5:
        info.update(pred=preds[pi].get("task_name"), cer=round(c, 3))
        return "missed: title garbled (0.2 < CER <= 0.5)", info, pi
    return "missed: not found", info, None


def _classify_spurious(p: dict, truth: dict) -> str:
    title = p.get("task_name", "")
    for line in truth.get("lines", []):
        if line["role"] in ("heading", "continuation") and cer(title, line["text"]) <= 0.3:
            return f"spurious: {line['role']} read as a task"
    if any(norm(title) and norm(title) in norm(line["text"]) for line in truth.get("lines", [])):
        return "spurious: a piece of a line (line split in two)"
    return "spurious: extra task"


def score_page(preds: list[dict], truth: dict) -> PageScore:
    """``preds`` are task dicts (task_name, description, assignee, due_date ISO, priority, done)."""
    truths = truth["tasks"]
    s = PageScore()
    pairs = match(preds, truths)
    s.tp = len(pairs)
    s.fn = len(truths) - s.tp
    s.fp = len(preds) - s.tp
    got_t = {ti for ti, _, _ in pairs}
    got_p = {pi for _, pi, _ in pairs}
    for ti, pi, c in pairs:
        t, p = truths[ti], preds[pi]
        s.cers.append(c)
        if c > 0:
            s.errors.append({"kind": "title: inexact (0 < CER <= 0.2)", "truth": t["task_name"],
                             "pred": p.get("task_name"), "cer": round(c, 3),
                             "edits": edits(p.get("task_name", ""), t["task_name"])})
        for f in FIELDS:
            ok = field_ok(f, p, t)
            s.fields[f].append(ok)
            if not ok:
                s.errors.append({"kind": _field_error(f, p, t), "task": t["task_name"],
                                 "truth": t.get(f), "pred": p.get(f)})
    free = set(range(len(preds))) - got_p
    for ti, t in enumerate(truths):
        if ti not in got_t:
            kind, info, pi = _classify_missed(t, preds, free)
            s.errors.append({"kind": kind, **info})
            free.discard(pi)  # that prediction is explained by this miss: not listed twice
    for pi, p in enumerate(preds):
        if pi in free:
            s.errors.append({"kind": _classify_spurious(p, truth), "pred": p.get("task_name")})
    return s


def aggregate(scores: list[PageScore]) -> dict:
    tp, fp, fn = (sum(getattr(s, k) for s in scores) for k in ("tp", "fp", "fn"))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    cers = [c for s in scores for c in s.cers]
    out = {
        "pages": len(scores), "truth_tasks": tp + fn, "pred_tasks": tp + fp, "matched": tp,
        "precision": precision, "recall": recall, "f1": f1,
        "title_cer": mean(cers) if cers else None,
        # Misses count as CER 1: one number for "how much of the titles came through".
        "title_cer_all": (sum(cers) + fn) / (tp + fn) if tp + fn else None,
    }
    for f in FIELDS:
        vals = [v for s in scores for v in s.fields[f]]
        out[f"{f}_acc"] = sum(vals) / len(vals) if vals else None
    out["error_kinds"] = Counter(e["kind"] for s in scores for e in s.errors).most_common()
    # Which characters the OCR confuses inside otherwise matched titles (for correct.py).
    out["title_edits"] = Counter(x for s in scores for e in s.errors for x in e.get("edits", ())).most_common(20)
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def _pooled_f1(pages: list[tuple[int, int, int]]) -> float:
    return _f1(*(sum(p[k] for p in pages) for k in range(3)))


def _bounds(values: list[float], level: float) -> tuple[float, float]:
    """The percentile interval holding ``level`` of the bootstrap draws."""
    values = sorted(values)
    return values[int((1 - level) / 2 * len(values))], values[int((1 + level) / 2 * len(values)) - 1]


def interval(scores: list[PageScore], resamples: int = 2000, level: float = 0.95, seed: int = 0) -> dict:
    """How far pooled and per-page task F1 could move with other pages of the same kind: a
    percentile bootstrap over pages (a page's tasks are not independent of each other, so
    the page is what is resampled). Seeded, so a report is reproducible."""
    if not scores:
        return {}
    rng = random.Random(seed)
    pages = [(s.tp, s.fp, s.fn) for s in scores]
    pooled, per_page = [], []
    for _ in range(resamples):
        draw = [pages[rng.randrange(len(pages))] for _ in pages]
        pooled.append(_pooled_f1(draw))
        per_page.append(mean(_f1(*p) for p in draw))
    return {"level": level, "resamples": resamples,
            "f1": _bounds(pooled, level), "f1_page_mean": _bounds(per_page, level)}


def paired_interval(before: list[tuple[int, int, int]], after: list[tuple[int, int, int]],
                    resamples: int = 2000, level: float = 0.95, seed: int = 0) -> dict:
    """The change in pooled and per-page task F1 between two runs over the same pages, each
    page a (tp, fp, fn), with a bootstrap interval that resamples pages in pairs: whether a
    change stands out from which pages happened to be in the set."""
    if len(before) != len(after) or not before:
        raise ValueError("two runs over the same, non-empty list of pages are needed")
    rng = random.Random(seed)
    n = len(before)

    def delta(idx: list[int]) -> tuple[float, float]:
        pooled = [_pooled_f1([run[i] for i in idx]) for run in (before, after)]
        per_page = [mean(_f1(*run[i]) for i in idx) for run in (before, after)]
        return pooled[1] - pooled[0], per_page[1] - per_page[0]

    draws = [delta([rng.randrange(n) for _ in range(n)]) for _ in range(resamples)]
    point = delta(list(range(n)))
    return {"level": level, "pages": n, "changed": sum(a != b for a, b in zip(before, after)),
            "f1": point[0], "f1_interval": _bounds([d[0] for d in draws], level),
            "f1_page_mean": point[1], "f1_page_mean_interval": _bounds([d[1] for d in draws], level)}


def aggregate_other(scores: list[PageScore]) -> dict:
    """Pages that are not lists: tasks invented there (predictions matching none of the page's
    explicit action items) and how many of those action items were found."""
    return {
        "not_list_pages": len(scores), "invented": sum(s.fp for s in scores),
        "action_items": sum(s.tp + s.fn for s in scores), "action_items_found": sum(s.tp for s in scores),
        "other_error_kinds": Counter(
            "invented on a page that is not a list" if e["kind"].startswith("spurious") else e["kind"]
            for s in scores for e in s.errors).most_common(),
    }
