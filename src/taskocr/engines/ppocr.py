"""PP-OCRv6 (small or tiny) on the CPU through the ``faster-paddle`` wheel.

The wheel carries both models and links ONNX Runtime in, so nothing is downloaded.
One ``OcrEngine`` per process: it is thread-safe and serialises inference itself.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from .. import imaging
from ..config import Decoder, PPOCRConfig, PPOCRModel
from ..errors import EngineError
from ..model import BBox, Line, PageText, Reading
from . import lexicon
from .base import LazyModel, package_version
from .ctc_det import cut_line, runs_vertically

if TYPE_CHECKING:
    from .ctc_decode import BeamDecoder, Decoded


class PPOCREngine:
    name = "ppocr"
    reads_with_roster = True  # recognize() takes the scan's roster (the beam decoder uses it)

    def __init__(self, config: PPOCRConfig | None = None):
        config = config or PPOCRConfig()
        self.model_size = config.model.value
        self.threads = config.threads
        self.stretch = config.stretch
        self.second_stretch = config.second_stretch
        self.beam = _reads_with_beam(config)
        self.languages = config.languages
        self._model = LazyModel(self._build)
        self._reader = LazyModel(self._build_reader)
        self._decoders: dict[tuple[str, ...], BeamDecoder] = {}
        self._decoders_lock = threading.Lock()

    @property
    def model(self) -> str:
        return self.model_size

    @property
    def model_version(self) -> str | None:
        # the weights ship inside the wheel, so its version pins them
        version = package_version("faster-paddle")
        if not version:
            return None
        if not self.beam:
            return f"PP-OCRv6 {self.model_size}, faster-paddle {version}, greedy decoder"
        return f"PP-OCRv6 {self.model_size}, faster-paddle {version}, beam decoder ({'+'.join(self.languages)})"

    def unavailable_reason(self) -> str | None:
        if importlib.util.find_spec("faster_paddle") is None:
            return "the faster-paddle package is not installed (pip install faster-paddle)"
        if self.beam:
            from . import ctc_det

            if (reason := ctc_det.unavailable_reason() or lexicon.unavailable_reason(self.languages)) is not None:
                return f"TASKOCR_DECODER=beam: {reason}"
        return None

    def _build(self):
        import faster_paddle

        try:
            return faster_paddle.OcrEngine(model_size=self.model_size, threads=self.threads)
        except Exception as exc:
            raise EngineError(self.name, f"could not load PP-OCRv6 {self.model_size}: {exc}") from exc

    def _build_reader(self):
        from .ctc_decode import BeamDecoder
        from .ctc_det import LineDetector
        from .ctc_rec import CTCRecognizer

        if self.model_size != "small":
            raise EngineError(self.name, "TASKOCR_DECODER=beam reads with PP-OCRv6 small only")
        rec = CTCRecognizer(self.threads)
        return LineDetector(self.threads), rec, BeamDecoder(rec.charset.labels, self.languages)

    def _decoder_for(self, language: str) -> BeamDecoder:
        """The decoder that reads with the fixed languages and ``language`` too; built on
        the first page written in it (about a second), then shared."""
        _, rec, base = self._reader.get()
        key = base.languages + (language,)
        with self._decoders_lock:
            if key not in self._decoders:
                from .ctc_decode import BeamDecoder

                self._decoders[key] = BeamDecoder(rec.charset.labels, key)
            return self._decoders[key]

    def load(self) -> None:
        self._model.get()
        if self.beam:
            self._reader.get()
            lexicon.preload(self.languages)

    def recognize(self, image: np.ndarray, people: tuple[str, ...] = ()) -> list[Line] | PageText:
        engine = self._model.get()
        if self.beam:
            return self._recognize_beam(engine, image, people)
        # The recogniser squeezes every line to 48 px high and reads about one character per
        # 8 px of width after that; narrow, joined handwriting then loses letters at word
        # ends. A second reading of the page widened gives each letter room; per line the
        # extractor keeps the reading with more real words (Line.alternatives). Widening
        # also pulls side-by-side notes apart, so that reading's segmentation comes along
        # for boards (PageText.separated; README, "Accuracy").
        stretches = [self.stretch] + ([self.second_stretch] if self.second_stretch else [])
        pages = [_encode(image, st) for st in stretches]
        try:
            results = engine.ocr_batch(pages, batch_size=len(pages))
        except Exception as exc:
            raise EngineError(self.name, f"recognition failed: {exc}") from exc
        first = _lines(results[0], self.stretch)
        if len(results) == 1:
            return first
        second = _lines(results[1], self.second_stretch)
        lines = _attach_alternatives(first, second)
        if self.second_stretch <= self.stretch:
            return lines
        return PageText(tuple(lines), tuple(_attach_alternatives(second, first)))

    def _recognize_beam(self, engine, image: np.ndarray, people: tuple[str, ...]) -> PageText:
        """The detector's rotated line boxes, each cut out level, read through onnxruntime and
        beam-decoded against the lexicon and the roster (docs/decoding.md). faster-paddle
        reads the page widened once more for its segmentation alone: a board's notes stand
        apart there (``PageText.separated``, as for the greedy readings)."""
        detector, rec, decoder = self._reader.get()
        quads = detector.detect(image)
        # a page photographed askew: its lines are cut out level whatever their slant, but
        # the extractor lays rows out by upright boxes, and around slanted lines those
        # overlap the rows above and below; the page is turned level and its lines found again
        turned = level_angle(quads)
        if turned:
            image, _ = imaging.turn(image, turned)
            quads = detector.detect(image)
        strips = [cut_line(image, q) for q in quads]
        stretch = max(self.stretch, self.second_stretch)
        probs = rec.probabilities(strips)
        chosen = [decoder.decode(p, people) for p in probs]
        # a page in another language reads as misspelt English; when its words say which
        # language it is, it is read again with that language's words too (engines/lexicon.py)
        if lexicon.AUTO in self.languages:
            language = decoder.language_of((d.text for d in chosen), people, lexicon.candidates(self.languages))
            if language is not None and language not in decoder.languages:
                decoder = self._decoder_for(language)
                chosen = [decoder.decode(p, people) for p in probs]
        # writing along a column is turned a quarter; written upwards it then reads upside
        # down, so such a strip is read turned round too and the surer reading kept (upside
        # down, the recogniser still finds short words, but it is unsure of them)
        upright = [i for i, q in enumerate(quads) if runs_vertically(q)]
        if upright:
            flipped = [np.ascontiguousarray(np.rot90(strips[i], 2)) for i in upright]
            for i, strip, p in zip(upright, flipped, rec.probabilities(flipped)):
                d = decoder.decode(p, people)
                if d.confidence > chosen[i].confidence:
                    chosen[i], strips[i] = d, strip
        # a strip is squeezed to 48 px high, and when its writing is narrow or fills little
        # of that height the recogniser gets too few steps for the letters ("Call h ho
        # ffie"): a strip read unsure, or with a word neither lexicon nor roster knows, is
        # read widened too, and the more plausible reading kept (``_plausibility``)
        share = [decoder.known_share(d.text, people) for d in chosen]
        unsure = [i for i, d in enumerate(chosen) if share[i] < 1.0 or d.confidence < UNSURE]
        if stretch > 1.0 and unsure:
            wide = rec.probabilities([_widen(strips[i], stretch) for i in unsure])
            for i, p in zip(unsure, wide):
                d = decoder.decode(p, people)
                if _plausibility(d, decoder.known_share(d.text, people)) > _plausibility(chosen[i], share[i]):
                    chosen[i] = d
        lines = []
        for quad, d in zip(quads, chosen):
            if not d.text.strip():
                continue
            box = BBox.from_corners(float(quad[:, 0].min()), float(quad[:, 1].min()),
                                    float(quad[:, 0].max()), float(quad[:, 1].max()))
            lines.append(Line(d.text, d.confidence, box, alternatives=d.alternatives, words=d.words))
        if stretch <= 1.0:
            return PageText(tuple(lines), (), turned)
        try:
            (wide,) = engine.ocr_batch([_encode(image, stretch)], batch_size=1)
        except Exception as exc:
            raise EngineError(self.name, f"recognition failed: {exc}") from exc
        return PageText(tuple(lines), tuple(_lines(wide, stretch)), turned)


# Which of a strip's two readings to keep. Both signs count: the recogniser's confidence and
# the share of words the lexicon or the roster knows; confidence weighs five times more. Strip
# readings at both widths against their true lines (real dev pages; synthetic pages 81-200,
# which the benchmark's first 80 leave out): known words first, then confidence, as before,
# edit distance 27.0 % / 12.6 % of the true characters; this score 26.9 % / 11.6 %;
# confidence alone 27.4 % / 11.6 %. Below UNSURE a strip is read widened even when all its
# words are known: "get it day" for "urgent: renew the ssl certificate today".
CONFIDENCE_WEIGHT = 5.0
UNSURE = 0.8


def _plausibility(reading: Decoded, known_share: float) -> float:
    return known_share + CONFIDENCE_WEIGHT * reading.confidence


# A page is turned level when its lines slant this much or more. Real dev pages: turning at
# 5 degrees changed two pages, a notebook photographed at 20 degrees and a perspective
# notebook spread at 7 (task F1 48.6 to 48.8 % pooled, line CER 0.163 to 0.162, done 88.4
# to 89.4 %); at 3 degrees a notebook page at 4 degrees was turned as well and gave 14 more
# false tasks. No synthetic page (v2, unseen) slants this much.
LEVEL_MIN_DEGREES = 5.0


def level_angle(quads: list[np.ndarray]) -> float:
    """The angle (degrees, anticlockwise) that levels the page's lines: the median slant
    of its line boxes, each weighted by its length; 0 when under LEVEL_MIN_DEGREES or when
    fewer than five lines tell."""
    slants, lengths = [], []
    for q in quads:
        top = q[1] - q[0]
        length = float(np.linalg.norm(top))
        if length < 3 * float(np.linalg.norm(q[3] - q[0])):
            continue  # a word or two: its slant says little
        slants.append(float(np.degrees(np.arctan2(top[1], top[0]))))
        lengths.append(length)
    if len(slants) < 5:
        return 0.0
    order = np.argsort(slants)
    cumulative = np.cumsum(np.asarray(lengths)[order])
    median = float(np.asarray(slants)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return median if abs(median) >= LEVEL_MIN_DEGREES else 0.0


def _reads_with_beam(config: PPOCRConfig) -> bool:
    """``auto`` takes the beam wherever it can run: it reads lines better (docs/decoding.md).
    Without the ``decoder`` extra, or with the tiny model, it reads greedily instead."""
    if config.decoder is Decoder.AUTO:
        from . import ctc_det

        return config.model is PPOCRModel.SMALL and ctc_det.unavailable_reason() is None
    return config.decoder is Decoder.BEAM


def _widen(image: np.ndarray, stretch: float) -> np.ndarray:
    if stretch == 1.0:
        return image
    return cv2.resize(image, None, fx=stretch, fy=1.0, interpolation=cv2.INTER_CUBIC)


def _encode(image: np.ndarray, stretch: float) -> bytes:
    image = _widen(image, stretch)
    # BMP is the cheapest container the wheel decodes: no compression work either way.
    ok, buf = cv2.imencode(".bmp", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    if not ok:
        raise EngineError(PPOCREngine.name, "could not encode the page for the recognizer")
    return buf.tobytes()


def _lines(result: dict, stretch: float) -> list[Line]:
    lines = []
    for _, b in sorted(result.get("bounds", {}).items()):
        text = (b.get("text") or "").strip()
        if not text:
            continue
        (x1, y1), (x2, y2) = b["topLeftCoord"], b["bottomRightCoord"]
        box = BBox.from_corners(x1 / stretch, y1, x2 / stretch, y2)
        lines.append(Line(text, float(b.get("confidence", 0.0)), box))
    return lines


def _attach_alternatives(lines: list[Line], others: list[Line], min_iou: float = 0.6) -> list[Line]:
    """Give each line the second pass's reading of the same box, when exactly one box of
    that pass covers it (the two passes sometimes cut a row into different pieces)."""
    out = []
    for line in lines:
        same = [o for o in others if line.bbox.iou(o.bbox) > min_iou]
        if len(same) == 1 and same[0].text != line.text:
            line = replace(line, alternatives=(Reading(same[0].text, same[0].confidence),))
        out.append(line)
    return out
