"""The words the beam decoder knows, per language, and which language a page is written in.

English comes from symspellpy's frequency lists (words and word pairs); every other language
from wordfreq's lists of its most frequent words, so nothing is downloaded. A lexicon of
many languages at once reads worse than one of the page's own: more misreadings become
words (real dev pages, beam decoder: task F1 48.8 % English, 50.1 % English + German, 48.6 %
English + six languages). So by default (``TASKOCR_LANGUAGES=en,auto``) a page is read with
English first, and when the words read that way are words of one other language far more
often than chance, or their letters are that language's, it is read again with English and
that language (docs/decoding.md).
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections.abc import Iterable
from functools import lru_cache

from ..errors import ConfigError

ENGLISH = "en"
AUTO = "auto"
# languages with a wordfreq list the recogniser's alphabet covers (Latin script)
OTHER_LANGUAGES = ("de", "es", "fr", "it", "nl", "pt", "sv", "da", "nb", "fi", "pl", "cs", "tr", "ro", "ca")
# the ones a page is checked against under "auto": the more there are, the likelier some
# misread English word is a word of one of them
AUTO_CANDIDATES = ("de", "es", "fr", "it", "nl", "pt", "sv", "pl", "tr")
TOP_WORDS = 30_000  # of each other language, the most frequent words
OTHER_SHARE = 0.5  # an other language's word is this much as likely as its frequency says
# a page is another language's when at least this share of its words, and three or more,
# are that language's and not English nor the roster's (real dev pages: German lists
# 10-29 %, a Spanish log 30 %; English pages at most 8 %, or two names)
MIN_SHARE = 0.10
MIN_WORDS = 3

_TOKEN = re.compile(r"[^\W\d_]{3,}")


def parse_languages(value: str, source: str = "TASKOCR_LANGUAGES") -> tuple[str, ...]:
    """``TASKOCR_LANGUAGES``: language codes, comma-separated, ``auto`` among them to read a
    page again in the language it turns out to be written in."""
    langs = tuple(dict.fromkeys(p.strip().lower() for p in value.split(",") if p.strip()))
    known = (ENGLISH, AUTO, *OTHER_LANGUAGES)
    bad = [lang for lang in langs if lang not in known]
    if bad or not langs:
        raise ConfigError(f"{source}={value!r}: use codes from {', '.join(known)} (comma-separated)")
    if langs == (AUTO,):
        return (ENGLISH, AUTO)
    return langs


def fixed(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages every page is read with (``auto`` left out)."""
    return tuple(lang for lang in languages if lang != AUTO)


@lru_cache(maxsize=1)
def _have_wordfreq() -> bool:
    return importlib.util.find_spec("wordfreq") is not None


def unavailable_reason(languages: tuple[str, ...]) -> str | None:
    if any(lang not in (ENGLISH, AUTO) for lang in languages) and not _have_wordfreq():
        return "wordfreq is not installed (pip install wordfreq), needed for TASKOCR_LANGUAGES other than en"
    return None


@lru_cache(maxsize=None)
def words(language: str) -> dict[str, float]:
    """A language's most frequent words in wordfreq's lists (lower case, letters only), each
    with its log10 probability. English is read from symspellpy's lists for decoding; this
    one only serves to recognise an English page read with other languages."""
    import wordfreq

    freq = wordfreq.get_frequency_dict(language)
    out = {w: math.log10(max(1e-12, freq[w] * OTHER_SHARE))
           for w in wordfreq.top_n_list(language, TOP_WORDS) if w.isalpha() and w in freq}
    # wordfreq keeps every word of every list it read (hundreds of MB for a few languages);
    # only the frequent ones are kept, here
    for cached in (wordfreq.get_frequency_dict, wordfreq.get_frequency_list, wordfreq.top_n_list):
        cached.cache_clear()
    return out


def candidates(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages a page read with ``languages`` is checked against under ``auto``:
    English too when the fixed ones leave it out (``de,auto`` and an English page)."""
    if AUTO not in languages:
        return ()
    extra = () if ENGLISH in languages else (ENGLISH,)
    return tuple(lang for lang in extra + AUTO_CANDIDATES if lang not in languages)


def preload(languages: tuple[str, ...]) -> None:
    """Read the word lists a scan may need (about two seconds for all candidates)."""
    if not _have_wordfreq():
        return
    for lang in {lang for lang in fixed(languages) if lang != ENGLISH} | set(candidates(languages)):
        words(lang)
    if candidates(languages):
        _identifier(candidates(languages))


def detect(texts: Iterable[str], known: frozenset[str] | set[str],
           among: tuple[str, ...] = AUTO_CANDIDATES, names: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The language ``among`` the candidates whose words the page's words are, beyond the
    ones ``known`` (the lexicon's) and ``names`` (the roster's, lower case) already hold, or
    failing that whose letters they have (``by_letters``); None when no language stands out
    or wordfreq is missing."""
    if not among or not _have_wordfreq():
        return None
    texts = list(texts)
    tokens = [t.lower() for text in texts for t in _TOKEN.findall(text)]
    unknown = [t for t in tokens if t not in known and t not in names]
    if len(unknown) < MIN_WORDS:
        return None
    counts = {lang: sum(t in words(lang) for t in unknown) for lang in among}
    best = max(counts, key=counts.get)
    if counts[best] >= MIN_WORDS and counts[best] >= MIN_SHARE * len(tokens):
        return best
    return by_letters(texts, among)


# A page in another language read with English words comes out as misspelt words of neither
# ("Fehrerleubnis umtauschu", "Telekon kindijen" for "Fahrerlaubnis umtauschen", "Telekom
# kündigen"), too few of them exact for the word count above; their letters still tell.
# py3langid's naive Bayes over letter n-grams, among English and the candidates, must be this
# sure (real dev pages: a German list with one exact German word is read as German; no English
# page, real or synthetic, reaches 0.9; a mixed English and Dutch planner page is English by
# its letters, which is why the word count goes first).
MIN_LETTERS_PROBABILITY = 0.9


def by_letters(texts: Iterable[str], among: tuple[str, ...]) -> str | None:
    """The candidate language ``among`` whose letters the page's text has, when py3langid
    is sure of it (None when it is not installed)."""
    identify = _identifier(among)
    if identify is None:
        return None
    language, probability = identify.classify(" / ".join(texts))
    return language if language in among and probability >= MIN_LETTERS_PROBABILITY else None


@lru_cache(maxsize=None)
def _identifier(among: tuple[str, ...]):
    """py3langid's model narrowed to English and the candidates ``among`` (those it has: not
    "nb", which it calls "no"); one per set of candidates, built once (about a second)."""
    if importlib.util.find_spec("py3langid") is None:
        return None
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identify = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identify.set_languages([lang for lang in sorted({ENGLISH, *among}) if lang in identify.nb_classes])
    return identify
