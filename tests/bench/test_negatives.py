"""Pages that are not lists, and the team roster every page of a set is handed."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter

import numpy as np
import pytest

from bench import dataset, fonts, negatives, vocab
from bench.content import make_page
from bench.render import render, render_small

FONT = "caveat"


@pytest.fixture(scope="module", autouse=True)
def font_installed():
    if fonts.missing(names=[FONT]):
        if shutil.which("npm") is None:
            pytest.skip("benchmark fonts not installed and npm is missing")
        fonts.install(names=[FONT])


@pytest.mark.parametrize("kind", negatives.KINDS)
def test_other_pages_are_not_lists_and_carry_only_action_items(kind):
    pages = [negatives.make_other_page(np.random.default_rng(s), kind) for s in range(40)]
    for p in pages:
        assert p.kind == kind and not p.is_list
        assert all(ln.role != "task" or ln.pieces[0].text in vocab.vocab_pages.ACTION_PREFIXES for ln in p.lines)
        assert len(p.tasks) == sum(ln.role == "task" for ln in p.lines) <= 1
        for t in p.tasks:  # an explicit "TODO: ..." line, written after its prefix
            line = next(ln for ln in p.lines if ln.role == "task")
            assert line.text.endswith(t["task_name"]) and t["task_name"] in vocab.TITLES
    with_actions = sum(bool(p.tasks) for p in pages)
    if kind == "notes":
        assert 5 <= with_actions <= 25  # about a third of notes pages
        assert all(p.lines[0].role in ("heading", "date") for p in pages)
        assert any(ln.indent and ln.role == "subpoint" for p in pages for ln in p.lines)
    else:
        assert with_actions == 0
    if kind == "letter":
        for p in pages:
            roles = [ln.role for ln in p.lines]
            assert roles[:2] == ["date", "greeting"] and roles[-2:] == ["closing", "signature"]
            assert p.lines[-1].text in p.people  # signed by someone on the team
    if kind in ("prose", "letter"):  # running sentences, wrapped over several lines
        assert all(sum(ln.role == "prose" for ln in p.lines) >= 2 for p in pages)
        for p in pages:
            text = " ".join(ln.text for ln in p.lines if ln.role == "prose")
            assert any(s in text for s in vocab.sentences_for("dev"))


def test_rendered_non_list_page_has_is_list_false_and_no_tasks():
    r = render_small(4, font=FONT, kind="prose")
    assert r.truth["is_list"] is False and r.truth["kind"] == "prose" and r.truth["tasks"] == []
    assert r.truth["lines"] and all(ln["role"] in ("prose", "date") for ln in r.truth["lines"])
    assert all(ln["bbox"] for ln in r.truth["lines"])  # every line was drawn
    assert render_small(4, font=FONT).truth["is_list"] is True
    with pytest.raises(ValueError, match="page kind"):
        negatives.make_other_page(np.random.default_rng(0), "poem")


def test_about_one_page_in_four_is_not_a_list():
    kinds = Counter(dataset.page_kind(7, i) for i in range(400))
    assert 0.18 < 1 - kinds["list"] / 400 < 0.32
    assert all(kinds[k] >= 20 for k in negatives.KINDS)
    assert {dataset.page_kind(11, i, "fresh") for i in range(50)} == {"list"}  # the spent split stays lists


def test_team_is_seeded_sized_and_never_the_truth():
    team = dataset.make_team(7)
    assert team == dataset.make_team(7) and team != dataset.make_team(8)
    assert 20 <= len(team) <= 50 and len(set(team)) == len(team) and set(team) <= set(vocab.NAMES)
    unseen = dataset.make_team(23, "unseen")
    assert 20 <= len(unseen) <= 50 and set(unseen) <= set(vocab.names_for("unseen"))
    for seed in range(30):  # page names come from the team; the roster is the team as it is
        page = make_page(np.random.default_rng(seed), team=team)
        assert page.people == list(team)
        assert {t["assignee"] for t in page.tasks if t["assignee"]} <= set(team)


def test_every_page_of_a_generated_set_gets_the_same_team(tmp_path, monkeypatch):
    def small(spec, seed):  # the real generate(), with photos small enough for a test
        return render(dataclasses.replace(spec, size=(320, 240), orientation=1, font=FONT), seed)

    monkeypatch.setattr(dataset, "render", small)
    manifest = dataset.generate(tmp_path, count=12, seed=5, workers=1, quiet=True)
    truths = dataset.load_truths(tmp_path)
    team = list(dataset.make_team(5))
    assert manifest["team"] == team
    assert all(t["people"] == team for t in truths)
    assigned = {task["assignee"] for t in truths for task in t["tasks"] if task["assignee"]}
    assert assigned and assigned <= set(team) and len(assigned) < len(team)
    kinds = [t["kind"] for t in truths]
    assert kinds == [dataset.page_kind(5, i) for i in range(12)]
    assert manifest["kinds"] == {k: kinds.count(k) for k in ("list", *negatives.KINDS)}
    assert [e["is_list"] for e in manifest["images"]] == [k == "list" for k in kinds]
    assert all(t["tasks"] == [] or t["kind"] in ("list", "notes") for t in truths)
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest
