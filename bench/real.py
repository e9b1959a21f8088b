"""The real-handwriting set: photos and scans of people's own writing, with our transcripts.

The images stay in their public repositories (their licences are not ours); the manifest
(``bench/real/manifest.jsonl``) names each one by repository, commit, path and sha256 next
to its transcript. ``extract`` copies them out of local git mirrors into ``bench/data/real``.

The set is split once, by repository, so no writer or page style sits on both sides:
``sealed`` (about a third of the repositories) is scored only at the end of a piece of work
and only its totals are read; ``dev`` is for tuning.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .fonts import repo_root

MANIFEST = repo_root() / "bench" / "real" / "manifest.jsonl"
DATA = repo_root() / "bench" / "data" / "real"
MIRRORS = Path("/work/.mirror")
HELD_OUT = repo_root().parent / "shared" / "held-out-repos.txt"
SPLITS = ("dev", "sealed")
PRIORITIES = ("low", "medium", "high", "urgent")

# A team roster of the size real teams have. Every page is scanned with this roster plus the
# names written on that page, so the extractor must pick the right person out of 30+.
TEAM = (
    "Aisha", "Alex", "Ana", "Ben", "Carlos", "Chen", "Chloe", "Daniel", "David", "Elena",
    "Emma", "Fatima", "Grace", "Hannah", "Ivan", "James", "Jonas", "Kenji", "Laura", "Lena",
    "Lucas", "Maria", "Mateo", "Mei", "Noah", "Olga", "Omar", "Priya", "Ravi", "Sara",
    "Sofia", "Tom", "Yuki", "Zoe",
)


def split_of(repo: str) -> str:
    """Fixed by the repository's name alone: adding images never moves one across."""
    return "sealed" if int(hashlib.sha256(repo.encode()).hexdigest(), 16) % 3 == 0 else "dev"


@dataclass(frozen=True)
class HeldOut:
    repos: frozenset[str]
    hashes: frozenset[str]

    @classmethod
    def read(cls, path: Path = HELD_OUT) -> "HeldOut":
        if not path.is_file():
            return cls(frozenset(), frozenset())
        repos, hashes = set(), set()
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            (hashes if re.fullmatch(r"[0-9a-f]{64}", line) else repos).add(line.lower())
        return cls(frozenset(repos), frozenset(hashes))

    def refuses(self, item: dict) -> str | None:
        if item["repo"].lower() in self.repos:
            return f"{item['repo']} is held out for evaluation"
        if item["sha256"].lower() in self.hashes:
            return f"{item['id']}: its image is held out for evaluation"
        return None


def load_items(path: Path = MANIFEST, split: str | None = None, held_out: HeldOut | None = None) -> list[dict]:
    items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    held_out = held_out or HeldOut.read()
    for item in items:
        reason = held_out.refuses(item)
        if reason:
            raise ValueError(f"the manifest names a held-out image: {reason}")
        item["split"] = split_of(item["repo"])
    return [i for i in items if split in (None, i["split"])]


def validate(item: dict) -> list[str]:
    """What is wrong with one manifest entry (empty when it is sound)."""
    problems = []
    for key in ("id", "repo", "commit", "path", "sha256", "lines", "tasks", "is_list", "kind"):
        if key not in item:
            problems.append(f"missing {key}")
    if problems:
        return problems
    if not re.fullmatch(r"[a-z0-9-]{1,60}", item["id"]):
        problems.append("id must be [a-z0-9-]{1,60}")
    if not re.fullmatch(r"[0-9a-f]{40}", item["commit"]):
        problems.append("commit must be 40 hex digits")
    if not re.fullmatch(r"[0-9a-f]{64}", item["sha256"]):
        problems.append("sha256 must be 64 hex digits")
    if not item["lines"] or not all(isinstance(x, str) and x.strip() for x in item["lines"]):
        problems.append("lines must be non-empty strings")
    for t in item["tasks"]:
        if not (t.get("title") or "").strip():
            problems.append("a task without a title")
        if t.get("priority", "medium") not in PRIORITIES:
            problems.append(f"priority {t.get('priority')!r}")
        if t.get("due") and not re.fullmatch(r"\d{4}-\d\d-\d\d", t["due"]):
            problems.append(f"due {t['due']!r} is not ISO")
    if item["is_list"] and not item["tasks"]:
        problems.append("a list page without tasks")
    return problems


def image_name(item: dict) -> str:
    ext = Path(item["path"]).suffix.lower() or ".img"
    return f"{item['id']}{ext}"


def mirror_dir(repo: str, root: Path = MIRRORS) -> Path | None:
    base = root / repo.replace("/", "+")
    for cand in (base / "repo" / ".git", base / "repo"):
        if (cand / "HEAD").is_file():
            return cand
    return None


def extract(items: list[dict], out: Path = DATA, mirrors: Path = MIRRORS) -> dict:
    """Copy each image out of its repository's mirror at the manifest's commit, checking its
    sha256. Returns what was written, what was already there, and which repositories still
    need a mirror."""
    out.mkdir(parents=True, exist_ok=True)
    report = {"written": [], "present": [], "missing_repos": set(), "bad": []}
    for item in items:
        dest = out / image_name(item)
        if dest.is_file() and hashlib.sha256(dest.read_bytes()).hexdigest() == item["sha256"]:
            report["present"].append(item["id"])
            continue
        git_dir = mirror_dir(item["repo"], mirrors)
        if git_dir is None:
            report["missing_repos"].add(item["repo"])
            continue
        blob = subprocess.run(
            ["git", f"--git-dir={git_dir}", "show", f"{item['commit']}:{item['path']}"],
            capture_output=True,
        )
        if blob.returncode != 0:
            report["bad"].append(f"{item['id']}: {blob.stderr.decode(errors='replace').strip()}")
            continue
        if hashlib.sha256(blob.stdout).hexdigest() != item["sha256"]:
            report["bad"].append(f"{item['id']}: sha256 differs from the manifest")
            continue
        dest.write_bytes(blob.stdout)
        report["written"].append(item["id"])
    report["missing_repos"] = sorted(report["missing_repos"])
    return report


def roster_for(item: dict) -> tuple[str, ...]:
    """The team plus whoever the page names: what a real user's roster looks like."""
    names = list(TEAM)
    for person in item.get("people") or []:
        if person and person.casefold() not in {n.casefold() for n in names}:
            names.append(person)
    return tuple(names)


def truth_of(item: dict) -> dict:
    """The transcript in the shape ``scoring.score_page`` reads."""
    return {
        "tasks": [
            {
                "task_name": t["title"],
                "assignee": t.get("assignee"),
                "due_date": t.get("due"),
                "priority": t.get("priority") or "medium",
                "done": bool(t.get("done")),
                "description": None,
            }
            for t in item["tasks"]
        ],
        "lines": [{"role": "line", "text": text} for text in item["lines"]],
    }


def add(folder: Path, path: Path = MANIFEST, held_out: HeldOut | None = None) -> list[str]:
    """Merge transcripts (one ``<id>.json`` each) into the manifest, keyed by id; an image
    already in it under another id (same sha256) is refused, and so is anything held out."""
    held_out = held_out or HeldOut.read()
    current = {i["id"]: i for i in (load_items(path) if path.is_file() else [])}
    by_hash = {i["sha256"]: i["id"] for i in current.values()}
    problems = []
    for f in sorted(Path(folder).glob("*.json")):
        item = json.loads(f.read_text())
        issues = validate(item) or ([held_out.refuses(item)] if held_out.refuses(item) else [])
        other = by_hash.get(item.get("sha256"))
        if other and other != item.get("id"):
            issues.append(f"same image as {other}")
        if issues:
            problems.append(f"{f.name}: " + "; ".join(issues))
            continue
        item.pop("split", None)
        current[item["id"]] = item
        by_hash[item["sha256"]] = item["id"]
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{k: v for k, v in i.items() if k != "split"} for i in sorted(current.values(), key=lambda i: i["id"])]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return problems


def summary(items: list[dict]) -> str:
    out = []
    for sp in SPLITS:
        part = [i for i in items if i["split"] == sp]
        out.append(f"{sp:<7} {len(part):>3} images ({sum(i['is_list'] for i in part)} lists) from "
                   f"{len({i['repo'] for i in part})} repositories, {sum(len(i['lines']) for i in part)} lines, "
                   f"{sum(len(i['tasks']) for i in part)} tasks")
    return "\n".join(out)


def compare(before: Path, after: Path) -> int:
    """Print the change between two per-image logs of ``bench accuracy --data real --split dev
    --out DIR`` (the sealed split writes none): task F1 with a paired bootstrap interval over the
    list pages, invented tasks, and the pages that moved."""
    from .scoring import paired_interval

    runs = [{e["id"]: e for e in map(json.loads, path.read_text().splitlines())} for path in (before, after)]
    if runs[0].keys() != runs[1].keys():
        print("the two logs are not over the same images", file=sys.stderr)
        return 2
    lists = [i for i in runs[0] if runs[0][i]["is_list"]]
    pages = [[(run[i]["tp"], run[i]["fp"], run[i]["fn"]) for i in lists] for run in runs]
    d = paired_interval(*pages)
    invented = [sum(run[i]["fp"] for i in run if not run[i]["is_list"]) for run in runs]
    pct = lambda v: f"{100 * v:+.1f}"  # noqa: E731
    print(f"task F1 pooled {pct(d['f1'])} points ({100 * d['level']:.0f} % interval "
          f"{pct(d['f1_interval'][0])} to {pct(d['f1_interval'][1])}), per page {pct(d['f1_page_mean'])} "
          f"({pct(d['f1_page_mean_interval'][0])} to {pct(d['f1_page_mean_interval'][1])}); "
          f"{d['changed']} of {d['pages']} list pages changed; invented {invented[0]} -> {invented[1]}")
    for i in runs[0]:
        a, b = runs[0][i], runs[1][i]
        if (a["tp"], a["fp"], a["fn"]) != (b["tp"], b["fp"], b["fn"]):
            print(f"  {i}: tp {a['tp']} -> {b['tp']}, fp {a['fp']} -> {b['fp']}, fn {a['fn']} -> {b['fn']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m bench real", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="verb", required=True)
    ex = sub.add_parser("extract", help="copy the images out of local mirrors into bench/data/real")
    ex.add_argument("--mirrors", type=Path, default=MIRRORS, help="where owner+name/ mirrors live")
    ex.add_argument("--out", type=Path, default=DATA)
    sub.add_parser("check", help="validate the manifest and print its splits")
    ad = sub.add_parser("add", help="merge a folder of <id>.json transcripts into the manifest")
    ad.add_argument("folder", type=Path)
    cm = sub.add_parser("compare", help="how two dev runs' per-image logs differ, with a paired interval")
    cm.add_argument("before", type=Path)
    cm.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.verb == "compare":
        return compare(args.before, args.after)
    if args.verb == "add":
        problems = add(args.folder)
        print("\n".join(problems) or "all transcripts merged")
        print(summary(load_items()))
        return 1 if problems else 0
    items = load_items()
    if args.verb == "check":
        problems = [f"{i['id']}: {p}" for i in items for p in validate(i)]
        print("\n".join(problems) or summary(items))
        return 1 if problems else 0
    report = extract(items, args.out, args.mirrors)
    print(f"{len(report['written'])} written, {len(report['present'])} already there, into {args.out}")
    for line in report["bad"]:
        print("problem:", line, file=sys.stderr)
    if report["missing_repos"]:
        print("these repositories need a local mirror first (under --mirrors, as owner+name/):", file=sys.stderr)
        print("\n".join(f"  {r}" for r in report["missing_repos"]), file=sys.stderr)
        return 1
    return 1 if report["bad"] else 0
