"""The "unseen" split: fonts and words of its own, shared with no other split."""

from __future__ import annotations

import numpy as np
import pytest

from bench import content, dataset, fonts, negatives, vocab, vocab_pages, vocab_unseen
from bench.render import RenderSpec, render


def _verbs_objects(titles):
    return ({t.split()[0].lower() for t in titles},
            {t.lower().split(" ", 1)[1].removeprefix("the ") for t in titles})


def _words(phrases):
    return {p.lower() for p in phrases}


def test_unseen_fonts_are_new_and_pinned():
    unseen = {f.name for f in fonts.fonts_for("unseen")}
    others = {f.name for f in fonts.FONTS if f.split != "unseen"}
    assert 5 <= len(unseen) <= 6 and not unseen & others
    assert {f.version for f in fonts.fonts_for("unseen")} == {fonts.FONTSOURCE_VERSION}


def test_unseen_vocabulary_is_disjoint_from_every_other_pool():
    titles = vocab.UNSEEN_TITLES
    assert len(titles) >= 60 and len(set(titles)) == len(titles)
    verbs, objects = _verbs_objects(titles)
    for old in (vocab.TITLES, vocab.FRESH_TITLES):
        old_verbs, old_objects = _verbs_objects(old)
        assert not verbs & old_verbs and not objects & old_objects
    u = vocab_unseen
    assert not _words(u.DESCRIPTIONS) & _words(vocab.DESCRIPTIONS + vocab.FRESH_DESCRIPTIONS)
    assert not _words(u.HEADINGS) & _words(vocab.HEADINGS + vocab.FRESH_HEADINGS)
    assert len(u.NAMES) >= 50 and not set(u.NAMES) & set(vocab.NAMES + vocab.FRESH_NAMES)
    assert not _words(u.SENTENCES) & _words(vocab_pages.SENTENCES)
    assert not set(u.GREETINGS) & set(vocab_pages.GREETINGS) and not set(u.CLOSINGS) & set(vocab_pages.CLOSINGS)
    unseen_notes = {x for h, p, s in u.TOPICS for x in (h, *p, *s)}
    dev_notes = {x for h, p, s in vocab_pages.TOPICS for x in (h, *p, *s)}
    assert len(u.TOPICS) >= 4 and not _words(unseen_notes) & _words(dev_notes)
    # Titles, continuations and headings carry no token a field parser would claim.
    assert not [p for p in titles + u.DESCRIPTIONS + u.HEADINGS if vocab.reserved_hits(p)]


def _page_words(page) -> list[str]:
    return [ln.text for ln in page.lines]


def test_unseen_pages_use_only_unseen_words():
    u = vocab_unseen
    for seed in range(25):
        rng = np.random.default_rng(seed)
        page = content.make_page(rng, split="unseen")
        assert {t["task_name"].lower() for t in page.tasks} <= _words(vocab.UNSEEN_TITLES)
        assert all(t["description"] == "" or t["description"].lower() in _words(u.DESCRIPTIONS) for t in page.tasks)
        assert {ln.text.lower() for ln in page.lines if ln.role == "heading"} <= _words(u.HEADINGS)
        assert set(page.people) <= set(u.NAMES)
        for kind in negatives.KINDS:
            other = negatives.make_other_page(np.random.default_rng(seed), kind, split="unseen")
            text = " ".join(_page_words(other))
            assert not [s for s in vocab_pages.SENTENCES if s[:30] in text]
            assert all(t["task_name"] in vocab.UNSEEN_TITLES for t in other.tasks)
            if kind == "notes":
                assert other.lines[[ln.role for ln in other.lines].index("heading")].text in {h for h, _, _ in u.TOPICS}
            if kind == "letter":
                assert other.lines[-1].text in u.NAMES
    with pytest.raises(SystemExit):  # only known splits are accepted on the command line
        dataset.main(["--split", "nonsense"])


def test_unseen_split_renders_with_its_own_fonts():
    unseen = [f.name for f in fonts.fonts_for("unseen")]
    if fonts.missing(names=unseen):
        pytest.skip("unseen fonts not installed: python -m bench fonts")
    assert dataset.split_of(0, "unseen") == dataset.split_of(3, "unseen") == "unseen"
    seen = set()
    for seed in range(12):
        t = render(RenderSpec(split="unseen", size=(320, 240), orientation=1,
                              kind=dataset.page_kind(23, seed, "unseen")), seed).truth
        assert t["split"] == "unseen" and t["font"] in unseen
        seen.add(t["font"])
    assert len(seen) >= 3
