"""From per-frame character probabilities to text: greedy, or a beam search with a word LM.

The beam search is pyctcdecode's; the language model is a KenLM model written at load time
from symspellpy's English word (and word-pair) frequency lists, so nothing is downloaded.
Words are looked up with their case and surrounding punctuation removed ("(Aykut)," is
"aykut"), the roster's names count as known words and are hotwords, and tokens shaped like
dates, times, numbers, priorities or arrows are never penalised as unknown words. The
task vocabulary (due, by, owner, asap, urgent, months, weekdays) is boosted inside the LM
(pyctcdecode takes one hotword weight per call, and these words are in the lexicon anyway).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np

from ..model import Reading, Word
from . import lexicon

# --- tunables, chosen on the real development pages (docs/decoding.md) -------------------------
ALPHA = 0.35  # weight of the word LM against the recogniser (natural-log units)
BETA = 1.0  # bonus per word, offsets the LM's preference for fewer, longer words
UNK_OFFSET = -6.0  # log penalty for a word neither the lexicon nor the roster knows
ROSTER_WEIGHT = 4.0  # hotword bonus for a roster name
UNK_LETTERS = 5  # the unknown-word penalty is for this many letters, and grows with length
BEAM_WIDTH = 16
TOKEN_MIN_LOGP = -6.0  # characters less likely than this in a frame are not expanded
NBEST = 4
VOCAB_LOG10P = 1.0  # task vocabulary is this much (log10) likelier than in books
PAIR_SHARE = 0.8  # of a word's continuations, the share the listed pairs get
SHAPE_LOG10P = -3.0  # what a date/number token costs the LM: a fairly common word

TASK_WORDS = (
    "due by owner asap urgent important todo done "
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun today tomorrow tonight week"
).split()

_TASK_KEYS = frozenset(w.lower() for w in TASK_WORDS)
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
# dates (17/12/2025, 2025-12-17, 17.12.), times (9:30, 10am, 3pm), numbers, ordinals (3rd),
# priorities (p1, !!!), arrows and list marks: all fine as they are, whatever the lexicon says
_SHAPED = re.compile(
    r"^(\d{1,4}([/.\-]\d{1,2}){0,2}[/.\-]?\d{0,4}|\d{1,2}(:\d{2})?([ap]m?)?|\d+(st|nd|rd|th)|[pP][1-4]"
    r"|[!?*#+=<>~→←⇒•·\-–—\[\]()✓✔☐☑:;.,/|]+)$"
)
_SHAPED_PREFIX = re.compile(r"^(\d|[pP]\d?$|[!?*#+=<>~→←⇒•·\-–—\[\]()✓✔☐☑:;.,/|]+$)")


@lru_cache(maxsize=64)
def _name_keys(people: tuple[str, ...]) -> frozenset[str]:
    """The roster's names as lexicon keys (one scan asks for them once per line)."""
    return frozenset(_word_key(w) for p in people for w in p.split())


def _word_key(token: str) -> str:
    return _EDGE.sub("", token).lower()


@dataclass(frozen=True)
class Decoded:
    text: str
    confidence: float  # mean probability of the emitted characters (as PaddleOCR reports)
    words: tuple[Word, ...]
    alternatives: tuple[Reading, ...] = ()


def _word_confidences(text: str, spans, best: np.ndarray) -> tuple[Word, ...]:
    """Each word with the mean of the top probability over the frames it was read from."""
    out = []
    for word, (start, end) in spans:
        seg = best[max(0, start):max(start + 1, end)]
        out.append(Word(word, float(seg.mean()) if len(seg) else 0.0))
    return tuple(out)


def greedy(probs: np.ndarray, labels: tuple[str, ...]) -> Decoded:
    """Best label per frame, repeats merged, blanks dropped (PaddleOCR's own decoding)."""
    idx = probs.argmax(axis=1)
    best = probs.max(axis=1)
    keep = np.ones(len(idx), dtype=bool)
    keep[1:] = idx[1:] != idx[:-1]
    keep &= idx != 0
    chars = [(labels[i], j) for j, i in enumerate(idx) if keep[j]]
    text = "".join(c for c, _ in chars)
    conf = float(best[keep].mean()) if keep.any() else 0.0
    # word spans: frames from a word's first to last emitted character
    spans, cur, start, last = [], "", None, None
    for c, j in chars + [(" ", len(idx))]:
        if c == " ":
            if cur:
                spans.append((cur, (start, last + 1)))
            cur, start = "", None
        else:
            cur += c
            start = j if start is None else start
            last = j
    stripped = text.strip()
    return Decoded(stripped, conf, _word_confidences(stripped, spans, best))


# --- the language model -------------------------------------------------------------------------


def _english_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in (files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text().splitlines():
        w, _, c = row.partition(" ")
        if w and c:
            counts[w] = int(c)
    return counts


def _write_arpa(path: str, languages: tuple[str, ...] = (lexicon.ENGLISH,)) -> frozenset[str]:
    """A back-off bigram model from symspellpy's frequency lists: a fixed share of each word's
    mass goes to the pairs listed after it, the rest backs off to the unigrams. Enough to
    prefer "pull request" to "pull requesr"; it needs no corpus. Other languages add their
    frequent words as unigrams (``lexicon.words``). Returns the model's words."""
    uni_lp: dict[str, float] = {}
    bigram_lines, backoff = [], {}
    if lexicon.ENGLISH in languages:
        counts = _english_counts()
        total = sum(counts.values())
        pairs: dict[str, list[tuple[str, int]]] = {}
        for row in (files("symspellpy") / "frequency_bigramdictionary_en_243_342.txt").read_text().splitlines():
            parts = row.split(" ")
            if len(parts) == 3 and parts[0] in counts and parts[1] in counts:
                pairs.setdefault(parts[0], []).append((parts[1], int(parts[2])))
        uni_lp = {w: math.log10(c / total) for w, c in counts.items()}
        for w1, seen in pairs.items():
            # the two lists come from different corpora: a pair may outnumber its first word
            denom = max(sum(c for _, c in seen), counts[w1])
            kept = seen_uni = 0.0
            for w2, c in seen:
                p = PAIR_SHARE * c / denom
                kept += p
                seen_uni += 10 ** uni_lp[w2]
                bigram_lines.append(f"{math.log10(p):.5f}\t{w1} {w2}")
            backoff[w1] = math.log10(max(1e-6, 1 - kept) / max(1e-6, 1 - seen_uni))
    for lang in lexicon.fixed(languages):
        if lang != lexicon.ENGLISH:
            for w, lp in lexicon.words(lang).items():
                uni_lp.setdefault(w, lp)  # a word English has keeps its English frequency
    if not bigram_lines:  # KenLM needs a pair: one that never comes up
        first = next(iter(uni_lp))
        bigram_lines.append(f"-99.00000\t{first} {first}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\\data\\\n")
        fh.write(f"ngram 1={len(uni_lp) + 3}\nngram 2={len(bigram_lines)}\n")
        fh.write("\n\\1-grams:\n-99\t<s>\t0\n-1.0\t</s>\n-7.0\t<unk>\n")
        fh.writelines(f"{lp:.5f}\t{w}\t{backoff.get(w, 0.0):.5f}\n" for w, lp in uni_lp.items())
        fh.write("\n\\2-grams:\n")
        fh.writelines(line + "\n" for line in bigram_lines)
        fh.write("\n\\end\\\n")
    return frozenset(uni_lp)


@contextmanager
def _quiet_stderr():
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@lru_cache(maxsize=4)
def _kenlm_model(languages: tuple[str, ...] = (lexicon.ENGLISH,)):
    """The KenLM model of ``languages``, its words' prefixes and its words, built once per
    process and language set."""
    import kenlm

    fd, path = tempfile.mkstemp(suffix=".arpa", prefix="taskocr-words-")
    os.close(fd)
    try:
        words = _write_arpa(path, languages)
        config = kenlm.Config()
        config.show_progress = False
        with _quiet_stderr():  # KenLM prints advice about binary files on every ARPA load
            model = kenlm.Model(path, config)  # read into memory: the file is not needed after
    finally:
        os.unlink(path)
    # every beginning of a word, for scoring a word still being read (a set is built ten
    # times faster than a character trie and answers the only question asked of it)
    prefixes = frozenset(w[:i] for w in words for i in range(1, len(w) + 1))
    return model, prefixes, words


def _lm_class():
    from pyctcdecode.language_model import LanguageModel

    class TaskLanguageModel(LanguageModel):
        """pyctcdecode's KenLM wrapper, looking words up without case or edge punctuation,
        with the roster as known words and shaped tokens (dates, numbers) never unknown."""

        def __init__(self, kenlm_model, prefixes, known, people: frozenset[str]):
            # the parent's constructor filters the unigram list through KenLM and builds a
            # trie (seconds); that work is done once in _kenlm_model and shared by every roster
            self._kenlm_model = kenlm_model
            self._char_trie = None
            self._prefixes = prefixes
            self._unigram_set = known
            self._people = people
            self._people_prefixes = frozenset(p[:i] for p in people for i in range(1, len(p) + 1))
            self.alpha, self.beta = ALPHA, BETA
            self.unk_score_offset = UNK_OFFSET
            self.score_boundary = True

        def score_partial_token(self, partial_token: str) -> float:
            key = _EDGE.sub("", partial_token).lower()
            if not key or _SHAPED_PREFIX.match(key) or key in self._people_prefixes:
                return 0.0
            if key in self._prefixes:
                return 0.0
            penalty = self.unk_score_offset
            return penalty * len(key) / 6 if len(key) > 6 else penalty

        def score(self, prev_state, word: str, is_last_word: bool = False):
            import kenlm

            end_state = kenlm.State()
            key = _word_key(word)
            if key and key in self._unigram_set:
                lm = self._kenlm_model.BaseScore(prev_state, key, end_state)
                if key in _TASK_KEYS:
                    lm = min(0.0, lm + VOCAB_LOG10P)
            else:
                # unknown to the lexicon: free when only marks (a bullet, an arrow), neutral
                # when a name or shaped like a date or number, else penalised
                self._kenlm_model.BaseScore(prev_state, "<unk>", end_state)
                if not key:
                    lm = 0.0
                elif key in self._people or _SHAPED.match(_EDGE.sub("", word)):
                    lm = SHAPE_LOG10P
                else:
                    # per letter, so that gluing two unknown words together saves nothing
                    unk = self.unk_score_offset * max(1.0, len(key) / UNK_LETTERS)
                    lm = SHAPE_LOG10P + unk / math.log(10)
            if is_last_word:
                lm += self._get_raw_end_score(end_state)
            return self.alpha * lm * math.log(10) + self.beta, end_state

    return TaskLanguageModel


def _hotwords(people: tuple[str, ...]) -> list[str]:
    """The roster's names in the forms they take on a list (pyctcdecode matches hotwords
    between spaces, so "(Aykut)" is a form of its own)."""
    names = []
    for person in people:
        for w in person.split():
            names += [w, f"({w})", f"@{w}", f"[{w}]", f"{w},", f"{w}:", f"->{w}", f"→{w}"]
    return sorted(set(names))


class BeamDecoder:
    """pyctcdecode's beam search over one alphabet with the word LM; thread-safe: each call
    gets its own decoder object around the shared (read-only) KenLM model."""

    def __init__(self, labels: tuple[str, ...], languages: tuple[str, ...] = (lexicon.ENGLISH,)):
        from pyctcdecode.alphabet import Alphabet

        self.labels = labels
        self.languages = lexicon.fixed(languages)
        self._alphabet = Alphabet.build_alphabet(list(labels))
        self._kenlm, self._prefixes, self._known = _kenlm_model(self.languages)
        self._lm_cls = _lm_class()
        self._lock = threading.Lock()

    @property
    def known(self) -> frozenset[str]:
        """Every word the lexicon holds, lower case."""
        return self._known

    def language_of(self, texts, people: tuple[str, ...], among: tuple[str, ...]) -> str | None:
        """The language ``among`` the candidates that a page read by this decoder is written
        in, by the words neither its lexicon nor the roster knows (``lexicon.detect``)."""
        return lexicon.detect(texts, self._known, among, _name_keys(tuple(people)))

    def known_share(self, text: str, people: tuple[str, ...] = ()) -> float:
        """The share of a reading's words that the lexicon or the roster knows."""
        names = _name_keys(tuple(people))
        keys = [k for k in (_word_key(w) for w in text.split()) if k]
        return sum(k in self._known or k in names for k in keys) / len(keys) if keys else 0.0

    def decode(self, probs: np.ndarray, people: tuple[str, ...] = (), nbest: int = NBEST) -> Decoded:
        from pyctcdecode.decoder import BeamSearchDecoderCTC

        plain = greedy(probs, self.labels)
        if not plain.text:
            return plain
        lm = self._lm_cls(self._kenlm, self._prefixes, self._known, _name_keys(tuple(people)))
        with self._lock:  # the decoder registers its LM in a class-level dict
            decoder = BeamSearchDecoderCTC(self._alphabet, lm)
        try:
            logp = np.log(np.clip(probs, 1e-15, 1.0))
            beams = decoder.decode_beams(
                logp, beam_width=BEAM_WIDTH, token_min_logp=TOKEN_MIN_LOGP,
                hotwords=_hotwords(people), hotword_weight=ROSTER_WEIGHT,
            )
        finally:
            with self._lock:
                decoder.cleanup()
        if not beams:
            return plain
        text, _, spans, _, score = beams[0]
        best = probs.max(axis=1)
        alts, seen = [], {text}
        for alt_text, _, _, _, alt_score in beams[1:]:
            if alt_text in seen or not alt_text.strip():
                continue
            seen.add(alt_text)
            alts.append(Reading(alt_text, plain.confidence * math.exp(min(0.0, alt_score - score))))
            if len(alts) >= nbest - 1:
                break
        return Decoded(text.strip(), plain.confidence, _word_confidences(text, spans, best), tuple(alts))
