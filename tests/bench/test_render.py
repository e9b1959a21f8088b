"""The synthetic pages: reproducible bytes, and truth that agrees with itself and the JPEG."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date

import numpy as np
import pytest
from PIL import Image, ImageOps

from bench import content, dataset, fonts, vocab
from bench.render import RenderSpec, render, render_small

FONT = "caveat"
SEEDS = (3, 11, 2024)


@pytest.fixture(scope="module", autouse=True)
def font_installed():
    if fonts.missing(names=[FONT]):
        if shutil.which("npm") is None:
            pytest.skip("benchmark fonts not installed and npm is missing")
        fonts.install(names=[FONT])


def test_same_seed_same_bytes_and_truth():
    a, b = render_small(11, font=FONT), render_small(11, font=FONT)
    assert a.jpeg == b.jpeg
    assert a.truth == b.truth
    assert render_small(12, font=FONT).jpeg != a.jpeg


@pytest.mark.parametrize("seed", SEEDS)
def test_truth_is_self_consistent(seed):
    r = render_small(seed, font=FONT)
    t = r.truth
    ref = date.fromisoformat(t["ref_date"])
    assert t["date_order"] in ("dmy", "mdy")
    assert t["font"] == FONT and t["split"] == "dev"
    assert 3 <= len(t["tasks"]) <= 9
    assert len(set(t["people"])) == len(t["people"])

    task_lines = [ln for ln in t["lines"] if ln["role"] == "task"]
    assert [ln["task"] for ln in task_lines] == list(range(len(t["tasks"])))
    used = {task["assignee"] for task in t["tasks"] if task["assignee"]}
    assert used <= set(t["people"])
    assert t["people"] == list(vocab.NAMES)  # no team given: the split's whole pool, not the truth
    assert t["is_list"] is True and t["kind"] == "list"

    for task, line in zip(t["tasks"], task_lines):
        assert task["task_name"] and task["task_name"].lower() in line["text"].lower()
        assert not vocab.reserved_hits(task["task_name"])
        assert task["priority"] in ("low", "medium", "high", "urgent")
        assert line["strike"] == (task["forms"].get("done") == "strike")
        assert task["done"] == bool(task["forms"].get("done"))
        if task["assignee"] and task["forms"]["assignee"] != "at":
            assert task["assignee"] in line["text"]
        if task["due_date"]:
            due = date.fromisoformat(task["due_date"])  # ISO or this raises
            form = task["forms"]["due"]
            if form in ("weekday", "by_weekday"):
                assert 1 <= (due - ref).days <= 7
            elif form in ("today", "tomorrow", "next_week"):
                assert (due - ref).days == {"today": 0, "tomorrow": 1, "next_week": 7}[form]
            else:
                assert 0 <= (due - ref).days <= 200
        conts = [ln for ln in t["lines"] if ln["role"] == "continuation" and ln["task"] == line["task"]]
        assert [c["text"] for c in conts] == ([task["description"]] if task["description"] else [])

    for ln in t["lines"]:  # every line box lies inside the photo
        x, y, w, h = ln["bbox"]
        assert 0 <= x and 0 <= y and x + w <= t["photo"]["width"] and y + h <= t["photo"]["height"]


def test_exif_carries_capture_date_and_orientation():
    r = render(RenderSpec(font=FONT, size=(480, 640), orientation=6), 5)
    img = Image.open(io.BytesIO(r.jpeg))
    exif = img.getexif()
    stamp = exif.get_ifd(0x8769)[0x9003]
    assert stamp.startswith(r.truth["ref_date"].replace("-", ":"))
    assert exif[0x0112] == 6
    assert img.size == (640, 480)  # stored sideways, as phones do
    assert ImageOps.exif_transpose(img).size == (480, 640)


def test_field_mix_is_realistic():
    pages = [content.make_page(np.random.default_rng(s)) for s in range(400)]
    tasks = [t for p in pages for t in p.tasks]
    share = lambda pred: sum(map(pred, tasks)) / len(tasks)  # noqa: E731
    assert 0.44 < share(lambda t: t["assignee"] is not None) < 0.56
    assert 0.44 < share(lambda t: t["due_date"] is not None) < 0.56
    assert 0.29 < share(lambda t: "priority" in t["forms"]) < 0.41
    assert 0.20 < share(lambda t: t["done"]) < 0.30
    assert 0.06 < share(lambda t: bool(t["description"])) < 0.18
    assert 0.78 < sum(p.date_order == "dmy" for p in pages) / len(pages) < 0.92
    for p in pages[:50]:
        for t in p.tasks:
            assert 2 <= len(t["task_name"].split()) <= 7


def test_vocabulary_and_fonts_are_split_cleanly():
    assert not [t for t in vocab.TITLES + vocab.DESCRIPTIONS if vocab.reserved_hits(t)]
    dev, held = set(vocab.titles_for("dev")), set(vocab.titles_for("heldout"))
    assert dev and held and not dev & held
    assert len(held) >= 0.1 * len(vocab.TITLES)
    assert len(fonts.FONTS) >= 16 and len(fonts.fonts_for("heldout")) >= 4
    assert {f.version for f in fonts.FONTS} == {fonts.FONTSOURCE_VERSION}  # pinned


def test_heldout_pages_use_heldout_fonts_and_phrases():
    held_fonts = {f.name for f in fonts.fonts_for("heldout")}
    c = content.make_page(np.random.default_rng(1), split="heldout")
    assert all(vocab.is_heldout_phrase(t["task_name"]) for t in c.tasks)
    assert dataset.split_of(3) == "heldout" and dataset.split_of(0) == "dev"
    spec = RenderSpec(split="heldout", size=(320, 240))
    if not fonts.missing(names=sorted(held_fonts)):
        assert render(spec, 1).truth["font"] in held_fonts


def test_page_seeds_are_stable():
    assert dataset.page_seed(7, 0) == dataset.page_seed(7, 0)
    assert len({dataset.page_seed(7, i) for i in range(100)}) == 100


def test_readme_example_matches_the_generator():
    from bench.example import MAX_BYTES, shows_everything

    root = fonts.repo_root() / "docs"
    truth = json.loads((root / "example.json").read_text())
    assert shows_everything(truth)
    assert (root / "example.jpg").stat().st_size <= MAX_BYTES
    again = render_small(truth["seed"], font=truth["font"], size=(160, 120)).truth
    assert again["tasks"] == truth["tasks"]
    assert {t["assignee"] for t in again["tasks"] if t["assignee"]} <= set(truth["people"])
    assert [ln["text"] for ln in again["lines"]] == [ln["text"] for ln in truth["lines"]]
