"""bytes → ScanResult: imaging, then an engine chain, then task extraction, timed per stage."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from . import imaging, ink
from .config import DateOrder, Settings
from .engines.registry import Registry
from .extract import extractor_version
from .extract.correct import choose_reading
from .extract.tasks import ExtractOptions, Layout, mark_drawn_boxes, pick_layout, read_page
from .model import BBox, ScanResult


@dataclass(frozen=True)
class ScanOptions:
    """Per-scan choices; anything left ``None`` falls back to the pipeline's settings."""

    engine: str | None = None
    people: tuple[str, ...] | None = None
    date_order: DateOrder | None = None
    ref_date: date | None = None


class _Timer:
    def __init__(self):
        self.ms: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.ms[name] = self.ms.get(name, 0.0) + (time.perf_counter() - t0) * 1000


class Pipeline:
    def __init__(self, settings: Settings | None = None, registry: Registry | None = None):
        self.settings = settings or Settings.from_env()
        self.registry = registry or Registry(self.settings)

    def preload(self, engine: str | None = None) -> str | None:
        """Load the model the chain would use first, and the extractor's lexicon and date
        parser; workers call this at start so no job pays for it."""
        from .extract import correct
        from .extract.dates import parse_due_date

        if self.settings.correct_words:
            correct.preload()
        parse_due_date("Dec 1", date.today())
        return self.registry.preload(engine or self.settings.backend)

    def scan(self, data: bytes, options: ScanOptions | None = None) -> ScanResult:
        opts = options or ScanOptions()
        s = self.settings
        timer = _Timer()
        t_all = time.perf_counter()

        with timer.stage("decode"):
            loaded = imaging.load_image(data, s.limits, work_long_side=s.work_long_side)
        info = loaded.info
        with timer.stage("page"):
            page = imaging.prepare_page(loaded, find_page=s.find_page, long_side=s.work_long_side)
        people = opts.people if opts.people is not None else s.people
        with timer.stage("ocr"):
            rec = self.registry.recognize(page.image, opts.engine or s.backend, people)
        if rec.turned:  # the engine read the page turned level: so are its boxes
            page = imaging.turned(page, rec.turned)
        if rec.load_ms > 1.0:  # a cold start is reported apart, not as recognition time
            timer.ms["ocr"] -= rec.load_ms
            timer.ms["load"] = rec.load_ms
        with timer.stage("extract"):
            layout = pick_layout(rec.lines, rec.separated, people)
            boxes: dict[BBox, bool | None] = {}  # the text and the tasks often share lines

            def drawn(box: BBox) -> bool | None:
                if box not in boxes:
                    boxes[box] = ink.checkbox_before(page.image, box)
                return boxes[box]

            layout = Layout(tuple(mark_drawn_boxes(list(layout.tasks), drawn)),
                            tuple(mark_drawn_boxes(list(layout.text), drawn)))
            lines = list(layout.text)
            if s.correct_words:
                # the reading that reads most like words is the line's text everywhere, in
                # `lines` as in the tasks (extract_tasks chooses the same way; real dev pages:
                # line CER 0.213 to 0.202)
                lines = [choose_reading(ln, people) for ln in lines]
            # Layout and fields are read on the flattened page, where lines run level;
            # only the boxes that leave the pipeline are mapped back onto the photo.
            ref = opts.ref_date or (info.captured_at.date() if info.captured_at else date.today())
            read = read_page(
                list(layout.tasks),
                ExtractOptions(
                    people=people,
                    date_order=opts.date_order or s.date_order,
                    ref_date=ref,
                    correct_words=s.correct_words,
                ),
                struck=lambda box: ink.is_struck_through(page.image, box),
            )
            to_orig = lambda box: page.bbox_to_original(box, info.width, info.height)  # noqa: E731
            tasks = [replace(t, bbox=to_orig(t.bbox)) if t.bbox else t for t in read.tasks]
            lines = [ln.with_bbox(to_orig(ln.bbox)) for ln in lines]
        timer.ms["total"] = (time.perf_counter() - t_all) * 1000
        if page.found:
            info = replace(info, page_found=True)
        return ScanResult(
            engine=rec.engine,
            image=info,
            lines=tuple(lines),
            tasks=tuple(tasks),
            engines_tried=rec.attempts,
            timings_ms=timer.ms,
            model=rec.model,
            model_version=rec.model_version,
            extractor_version=extractor_version(),
            page_kind=read.page,
        )


_shared: Pipeline | None = None
_shared_lock = threading.Lock()


def get_pipeline(settings: Settings | None = None) -> Pipeline:
    """The process-wide pipeline (one model per process, shared by every job). Asked with
    settings other than those it was built with (default: the environment's), it is rebuilt."""
    global _shared
    settings = settings or Settings.from_env()
    with _shared_lock:
        if _shared is None or _shared.settings != settings:
            _shared = Pipeline(settings)
        return _shared
