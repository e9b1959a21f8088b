"""The "fresh" split shares no font, phrase, heading or name with dev/heldout, and is opt-in."""

from __future__ import annotations

import numpy as np

from bench import content, dataset, fonts, vocab


def _objects(titles):
    # Titles are "verb object": the object is everything after the (possibly two-word) verb.
    verbs = sorted({t.split()[0].lower() for t in titles})
    return verbs, {t.lower().split(" ", 1)[1] for t in titles}


def test_fresh_fonts_are_new():
    fresh = {f.name for f in fonts.fonts_for("fresh")}
    old = {f.name for f in fonts.FONTS if f.split in ("dev", "heldout")}
    assert len(fresh) >= 4 and not fresh & old
    assert all(f.version == fonts.FONTSOURCE_VERSION for f in fonts.fonts_for("fresh"))  # pinned


def test_fresh_phrases_do_not_overlap_the_old_vocabulary():
    fresh, old = vocab.FRESH_TITLES, vocab.TITLES
    assert len(fresh) >= 60 and len(set(fresh)) == len(fresh)
    fresh_verbs, fresh_objects = _objects(fresh)
    old_verbs, old_objects = _objects(old)
    assert not set(fresh_verbs) & set(old_verbs)
    assert not {o.removeprefix("the ") for o in fresh_objects} & {o.removeprefix("the ") for o in old_objects}
    assert len(vocab.FRESH_DESCRIPTIONS) >= 10 and not set(vocab.FRESH_DESCRIPTIONS) & set(vocab.DESCRIPTIONS)
    assert len(vocab.FRESH_HEADINGS) >= 6
    assert not {h.lower() for h in vocab.FRESH_HEADINGS} & {h.lower() for h in vocab.HEADINGS}
    assert vocab.FRESH_NAMES and not set(vocab.FRESH_NAMES) & set(vocab.NAMES)
    phrases = fresh + vocab.FRESH_DESCRIPTIONS + vocab.FRESH_HEADINGS
    assert not [p for p in phrases if vocab.reserved_hits(p)]
    assert all(2 <= len(t.split()) <= 7 for t in fresh)


def test_fresh_pages_use_only_fresh_content():
    assert dataset.split_of(3, "fresh") == "fresh" and dataset.split_of(3) == "heldout"
    for seed in range(30):
        c = content.make_page(np.random.default_rng(seed), split="fresh")
        assert all(t["task_name"].lower() in {x.lower() for x in vocab.FRESH_TITLES} for t in c.tasks)
        assert all(t["description"] == "" or t["description"].lower() in
                   {d.lower() for d in vocab.FRESH_DESCRIPTIONS} for t in c.tasks)
        assert set(c.people) <= set(vocab.FRESH_NAMES)
        heads = [ln.text for ln in c.lines if ln.role == "heading"]
        assert all(h.lower() in {x.lower() for x in vocab.FRESH_HEADINGS} for h in heads)
