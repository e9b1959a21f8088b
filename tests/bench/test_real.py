"""The real-handwriting set's tooling: manifest checks, the held-out guard, extraction from a
git mirror, the split rule and the line CER measure."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from bench import real
from bench.real_accuracy import line_cer


def _item(**kw) -> dict:
    base = {
        "id": "someone-notes-list1", "repo": "someone/notes", "commit": "a" * 40,
        "path": "img/list1.jpg", "sha256": "b" * 64, "licence": "MIT", "is_list": True,
        "kind": "todo", "capture": "photo", "writing": "print",
        "lines": ["To do", "- milk"], "tasks": [{"title": "milk", "priority": "medium", "done": False}],
        "people": [], "notes": "",
    }
    return base | kw


def test_split_is_fixed_by_repository_and_about_a_third_sealed():
    repos = [f"owner{i}/repo{i}" for i in range(600)]
    splits = [real.split_of(r) for r in repos]
    assert splits == [real.split_of(r) for r in repos]  # same answer every time
    assert 0.27 < splits.count("sealed") / len(splits) < 0.40


def test_validate_names_each_problem():
    assert real.validate(_item()) == []
    bad = _item(id="Bad Id!", commit="xyz", tasks=[{"title": " ", "priority": "hot", "due": "17/12"}])
    problems = " | ".join(real.validate(bad))
    for word in ("id must", "commit", "without a title", "priority 'hot'", "not ISO"):
        assert word in problems
    assert "missing lines" in real.validate({k: v for k, v in _item().items() if k != "lines"})
    assert "a list page without tasks" in real.validate(_item(tasks=[]))


def test_held_out_repositories_and_images_are_refused(tmp_path):
    listing = tmp_path / "held.txt"
    listing.write_text("# held out\nSomeone/Secret\n\n" + "c" * 64 + "\n")
    held = real.HeldOut.read(listing)
    assert held.refuses(_item(repo="someone/secret"))
    assert held.refuses(_item(sha256="c" * 64))
    assert held.refuses(_item()) is None
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps(_item(repo="someone/secret")) + "\n")
    with pytest.raises(ValueError, match="held-out"):
        real.load_items(manifest, held_out=held)


def test_add_merges_transcripts_and_refuses_duplicates(tmp_path):
    folder, manifest = tmp_path / "items", tmp_path / "m.jsonl"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(_item(id="a")))
    (folder / "b.json").write_text(json.dumps(_item(id="b")))  # same sha256 as a
    (folder / "c.json").write_text(json.dumps(_item(id="c", sha256="d" * 64, lines=[])))
    problems = real.add(folder, manifest, held_out=real.HeldOut(frozenset(), frozenset()))
    assert any(p.startswith("b.json") and "same image as a" in p for p in problems)
    assert any(p.startswith("c.json") and "lines" in p for p in problems)
    rows = [json.loads(x) for x in manifest.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a"] and "split" not in rows[0]


def test_extract_copies_from_a_mirror_at_the_commit_and_checks_the_hash(tmp_path):
    work = tmp_path / "src"
    work.mkdir()
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    (work / "page.png").write_bytes(png)
    git = lambda *a: subprocess.run(["git", "-C", str(work), *a], check=True, capture_output=True, text=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "page")
    commit = git("rev-parse", "HEAD").stdout.strip()
    mirrors = tmp_path / "mirrors"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(mirrors / "someone+notes" / "repo")], check=True)
    good = _item(id="good", commit=commit, path="page.png", sha256=hashlib.sha256(png).hexdigest())
    wrong = _item(id="wrong", commit=commit, path="page.png", sha256="e" * 64)
    absent = _item(id="absent", repo="other/repo")
    out = tmp_path / "out"
    report = real.extract([good, wrong, absent], out, mirrors)
    assert report["written"] == ["good"] and (out / "good.png").read_bytes() == png
    assert report["missing_repos"] == ["other/repo"]
    assert report["bad"] == ["wrong: sha256 differs from the manifest"]
    assert real.extract([good], out, mirrors)["present"] == ["good"]


def test_line_cer_takes_the_closest_recognised_line_per_true_line():
    truth = ["Get approval", "Buy milk", "Call Tom"]
    got = line_cer(truth, ["Buy mi1k", "Get aproval", "noise"])
    assert got[0] == pytest.approx(1 / 12) and got[1] == pytest.approx(1 / 8)
    assert got[2] > 0.5
    assert line_cer(["abc"], []) == [1.0]
    assert line_cer(["ab"], ["a very long unrelated line"]) == [1.0]  # capped


def test_roster_is_the_team_plus_the_page_names_once():
    roster = real.roster_for(_item(people=["Hasan", "tom"]))
    assert len(roster) >= 30 and "Hasan" in roster
    assert sum(n.casefold() == "tom" for n in roster) == 1


def test_committed_manifest_is_sound_and_holds_no_held_out_image():
    items = real.load_items()  # raises on a held-out repository or image
    assert len(items) >= 60
    assert sum(i["is_list"] for i in items) >= 25
    assert [p for i in items for p in real.validate(i)] == []
    assert len({i["sha256"] for i in items}) == len(items)
    assert {i["split"] for i in items} == {"dev", "sealed"}


def test_the_real_table_prints_each_engines_interval():
    from bench import real_accuracy, scoring

    pages = [scoring.PageScore(tp=4, fp=1, fn=1), scoring.PageScore(tp=0, fp=0, fn=5), scoring.PageScore(tp=3, fp=2, fn=0)]
    agg = scoring.aggregate(pages)
    row = {"engine": "ppocr", "images": 5, "list_pages": 3, "f1": agg["f1"], "f1_page_mean": 0.5,
           "precision": agg["precision"], "recall": agg["recall"], "title_cer": 0.05, "assignee_acc": 1.0,
           "due_date_acc": None, "priority_acc": 1.0, "done_acc": 0.9, "invented": 2, "line_cer": 0.2,
           "bare_line_cer": None, "sec_per_image": 1.0, "interval": scoring.interval(pages)}
    table = real_accuracy.format_table({"split": "dev", "roster": True, "lists": 3, "engines": [row]})
    (line,) = [ln for ln in table.splitlines() if ln.startswith("ppocr: 95 % interval")]
    low, high = row["interval"]["f1"]
    assert f"pooled {100 * low:.1f}–{100 * high:.1f} %" in line


def test_compare_prints_the_change_between_two_dev_logs(tmp_path, capsys):
    def log(path, rows):
        path.write_text("".join(json.dumps({"id": i, "is_list": li, "tp": tp, "fp": fp, "fn": fn}) + "\n"
                                for i, li, tp, fp, fn in rows))
        return path

    a = log(tmp_path / "a.jsonl", [("p1", True, 1, 9, 9), ("p2", True, 4, 0, 1), ("n1", False, 0, 5, 0)])
    b = log(tmp_path / "b.jsonl", [("p1", True, 9, 1, 1), ("p2", True, 4, 0, 1), ("n1", False, 0, 0, 0)])
    assert real.main(["compare", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "1 of 2 list pages changed; invented 5 -> 0" in out and "p1: tp 1 -> 9" in out and "p2:" not in out
    c = log(tmp_path / "c.jsonl", [("p1", True, 1, 0, 0)])
    assert real.main(["compare", str(a), str(c)]) == 2
