"""OCR-error repair: names matched against a roster, and of a line's readings the one that
reads most like words.

A name is replaced only when it is close to exactly one known person; words are never
changed, only chosen among the readings the engine gave.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from ..model import Line, Reading
from .fields import tidy

PERSON_CUTOFF = 75.0


def match_person(name: str, people: tuple[str, ...], cutoff: float = PERSON_CUTOFF) -> str | None:
    """The roster's spelling of ``name``, when one person is clearly meant."""
    if not people or not name:
        return None
    best = process.extract(name, people, scorer=_score, processor=utils.default_process, limit=2)
    if not best or best[0][1] < cutoff:
        return None
    if len(best) > 1 and best[1][1] >= best[0][1] - 3 and best[1][0] != best[0][0]:
        return None  # two people fit equally well: keep what was read
    return best[0][0]


def _score(a: str, b: str, **kw) -> float:
    # WRatio undervalues one wrong letter in a short name ("Ama" for "Ana" scores 67), yet
    # that is the commonest OCR slip; one edit in a name of 3+ letters counts as 80.
    score = fuzz.WRatio(a, b)
    if min(len(a), len(b)) >= 3 and Levenshtein.distance(a, b) <= 1:
        score = max(score, 80.0)
    return score


# what a hand-drawn arrow before a name tends to become in OCR output
_ARROWISH = r"(?:[-–—~=_>»›7→]+|\b7)"


# words after which a name is the object of the task, not the person doing it
_OBJECT_LEAD = {
    "to", "with", "for", "from", "by", "and", "or", "of", "about", "at", "call", "email", "e-mail",
    "ask", "tell", "text", "remind", "meet", "visit", "thank", "pay", "invite", "help", "ping",
    "phone", "message", "see", "congratulate", "collect", "pick", "drive", "aunt", "uncle",
}


def find_person(text: str, people: tuple[str, ...]) -> tuple[str | None, str]:
    """A roster name ending the line, behind arrow-like debris ("Call Ana 7 Hasan") or
    behind nothing at all when the arrow was lost ("mow the lawn Ravi")."""
    words = text.split()
    for n in (2, 1):
        if len(words) <= n:
            continue
        tail = " ".join(words[-n:])
        lead = words[-n - 1]
        m = re.fullmatch(rf"{_ARROWISH}?(.+)", tail)
        candidate = m.group(1) if m else tail
        glued = re.match(rf"^{_ARROWISH}", tail) is not None
        if not (glued or re.fullmatch(_ARROWISH, lead)):
            continue
        person = match_person(candidate, people, cutoff=85.0)
        if person:
            drop = n + (0 if glued else 1)
            return person, tidy(" ".join(words[:-drop]))
    if len(words) >= 3 and words[-2].lower() not in _OBJECT_LEAD:
        # a bare last word: it must be the name itself, give or take a letter ("Ravl")
        person = match_person(words[-1], people, cutoff=90.0)
        exact = person and words[-1].strip(".,;:!").lower() == person.lower()
        if person and (exact or len(words) >= 4) and fuzz.ratio(words[-1].lower(), person.lower()) >= 80:
            return person, tidy(" ".join(words[:-1]))
    if len(words) >= 2:
        return _glued_person(text, people)
    return None, text


def _glued_person(text: str, people: tuple[str, ...]) -> tuple[str | None, str]:
    """A roster name run into what stands before it: "food—Olga", "dealsMateo", "eRavi"
    (the @ read as a letter). The join must show: a dash or symbol, a capital inside the
    word, or one stray letter in front; and the whole token must not be a word itself."""
    m = re.search(r"(\S+?)[^\w]*$", text)
    if not m:
        return None, text
    token = m.group(1)
    known = lexicon()
    if token.lower() in known:
        return None, text
    as_letters = token.translate(_AS_LETTER).lower()
    for person in sorted(people, key=len, reverse=True):
        name = person.split()[0]
        if len(name) < 3 or len(token) <= len(name) or not as_letters.endswith(name.lower()):
            continue
        prefix, written = token[: -len(name)], token[-len(name):]
        if not prefix[-1].isalnum() or written[0].isdigit():  # "food—olga", "food0lga"
            rest = text[: m.start(1)] + prefix.rstrip("-–—~=_>»›7@")
        elif len(prefix) == 1:
            rest = text[: m.start(1)]
        elif prefix[-1].islower() and written[0].isupper():
            rest = text[: m.start(1)] + prefix
        else:
            continue
        return person, tidy(rest)
    return None, text


def _name_words(people: tuple[str, ...]) -> set[str]:
    """Every word of every roster name, lower-cased: "Mary Jane" gives "mary" and "jane"."""
    return {w.lower() for person in people for w in person.split()}


# --- choosing between two readings of a line ----------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z]{2,}")


def choose_reading(line: Line, people: tuple[str, ...] = ()) -> Line:
    """The engine's reading of ``line`` that reads most like words: the larger share of its
    words known to the lexicon (or the roster), then the higher confidence. Recognisers are
    confident about misreadings too, so confidence alone picks worse (README, "Accuracy").
    A beam-decoded line (it has ``words``) already weighed its words against a lexicon and
    the roster; its n-best are kept for review, not chosen again (real dev pages: task F1
    0.623 re-choosing, 0.647 not)."""
    if not line.alternatives or line.words:
        return line
    known = lexicon()
    names = _name_words(people)

    def score(text: str, confidence: float) -> tuple[float, float]:
        words = [w.lower() for w in _TOKEN.findall(text)]
        share = sum(w in known or w in names for w in words) / len(words) if words else 0.0
        return share, confidence

    best = max(line.alternatives, key=lambda r: score(r.text, r.confidence))
    if score(best.text, best.confidence) > score(line.text, line.confidence):
        # the readings swap places: the one passed over stays on the line for review
        others = tuple(r for r in line.alternatives if r is not best)
        return replace(line, text=best.text, confidence=best.confidence,
                       alternatives=(Reading(line.text, line.confidence),) + others)
    return line


# --- the lexicon ----------------------------------------------------------------------------------

# Title words are not repaired here any more: splitting glued words, digits read as letters and
# the nearest common word for an unsure one gained nothing on the synthetic pages (either
# decoder: 97.0 / 96.8 % with and without) and cost on real ones (dev task F1, beam 50.5 %
# without against 49.7 % with; greedy 49.5 against 48.6 %): they turned German words into
# English ones ("Schweden" into "Sch we den") and misread names into words. The beam decoder
# weighs words against its lexicon where the pixels allow it (docs/decoding.md).


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """Every word the English dictionary knows, lower case. Built once per process."""
    from importlib.resources import files

    text = (files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text()
    return frozenset(row.partition(" ")[0] for row in text.splitlines())


def preload() -> None:
    lexicon()


# digits a recogniser reads for the letters they look like: "food0lga" ends in "Olga"
_AS_LETTER = str.maketrans({"0": "o", "1": "l", "5": "s"})
