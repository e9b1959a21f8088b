"""dots.ocr: a layout-aware vision-language model, served over an OpenAI-compatible API
(vLLM >= 0.11, SGLang, ollama) or loaded in-process with transformers.

``DOTS_OCR_URL`` wins when both are set: a shared inference server is how this scales (one GPU,
many workers), the in-process model is for a single GPU machine. With neither set the engine
declines, so ``auto`` moves on to the CPU engines.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request

import numpy as np
from PIL import Image

from ..config import DotsSettings
from ..errors import EngineError
from ..model import Line
from . import dots_layout as layout
from .base import LazyModel

log = logging.getLogger("taskocr.engines.dots")

NAME = "dots"
PROBE_TTL_S = 15.0  # how long a server check stands: short, so a restarted server is seen soon
PROBE_TIMEOUT_S = 3.0  # the check runs per image in `auto`; a dead host must not stall it
JPEG_QUALITY = 95  # PNG of a 11 MP photo is ~20 MB of base64; JPEG 95 keeps pen strokes intact


def prepare_image(rgb: np.ndarray, s: DotsSettings) -> tuple[Image.Image, tuple[int, int]]:
    """The image as the model must see it, and the original (width, height) to map back to."""
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise EngineError(NAME, f"expected an RGB image, got an array of shape {rgb.shape}")
    oh, ow = rgb.shape[:2]
    min_px = max(layout.MIN_PIXELS, s.min_pixels)
    max_px = min(layout.MAX_PIXELS, max(s.max_pixels, min_px))  # above the model's limit it degrades
    try:
        h, w = layout.smart_resize(oh, ow, min_pixels=min_px, max_pixels=max_px)
    except ValueError as exc:
        raise EngineError(NAME, f"cannot size the image for the model: {exc}") from exc
    image = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), "RGB")
    if (w, h) != (ow, oh):
        image = image.resize((w, h), Image.Resampling.BICUBIC)
    return image, (ow, oh)


def answer_to_lines(answer: str | None, sent: tuple[int, int], original: tuple[int, int],
                    *, truncated: bool = False) -> list[Line]:
    parsed = layout.parse_layout(answer)
    if not parsed.found_json:
        head = (answer or "").strip()[:120]
        why = "the answer was cut off at the token limit" if truncated else "no layout JSON in the answer"
        raise EngineError(NAME, f"{why} (starts {head!r}); raise DOTS_OCR_MAX_TOKENS or check the model")
    if parsed.salvaged or parsed.dropped or truncated:
        log.warning("dots answer repaired: %d cells kept, %d unusable, truncated=%s",
                    len(parsed.cells), parsed.dropped, truncated)
    return layout.cells_to_lines(parsed.cells, sent, original)


class DotsEngine:
    name = NAME

    # neither an OpenAI-compatible server nor the weights folder states a version
    model_version = None

    def __init__(self, config: DotsSettings | None = None):
        self.cfg: DotsSettings = config or DotsSettings()
        self.model = self.cfg.model if self.cfg.url else os.path.basename(str(self.cfg.model_path or "")) or None
        self._probe_lock = threading.Lock()
        self._probe: tuple[float, str | None] | None = None  # (checked at, reason)
        self._client = LazyModel(self._make_client)
        self._local = None
        if not self.cfg.url and self.cfg.model_path:
            from .dots_local import LocalDots  # light: it imports torch only in load()

            self._local = LocalDots(self.cfg)

    # --- availability ------------------------------------------------------------------------
    def unavailable_reason(self) -> str | None:
        if self.cfg.url:
            if importlib.util.find_spec("openai") is None:
                return "DOTS_OCR_URL is set but the openai client is not installed (pip install 'taskocr[dots]')"
            return self._server_reason()
        if self._local is not None:
            return self._local.unavailable_reason()
        return "not configured: set DOTS_OCR_URL (an OpenAI-compatible server) or DOTS_OCR_MODEL_PATH"

    def _server_reason(self) -> str | None:
        now = time.monotonic()
        with self._probe_lock:
            if self._probe and now - self._probe[0] < PROBE_TTL_S:
                return self._probe[1]
            reason = probe_server(self.cfg)
            self._probe = (time.monotonic(), reason)
            return reason

    def _forget_probe(self) -> None:
        with self._probe_lock:
            self._probe = None

    # --- model -------------------------------------------------------------------------------
    def load(self) -> None:
        if self.cfg.url:
            self._client.get()
        elif self._local is not None:
            self._local.load()
        else:
            raise EngineError(NAME, self.unavailable_reason() or "not configured")

    def _make_client(self):
        try:
            import openai
        except ImportError as exc:
            raise EngineError(NAME, f"the openai client cannot be imported: {exc}") from exc
        # No client-side retries: a retry triples the wait on a dead server; the job queue
        # retries transient failures and the chain falls back meanwhile.
        return openai.OpenAI(base_url=self.cfg.url, api_key=self.cfg.api_key or "EMPTY",
                             timeout=self.cfg.timeout_s, max_retries=0)

    def recognize(self, image: np.ndarray) -> list[Line]:
        if not self.cfg.url and self._local is None:
            # Never fall through to the openai client's default host.
            raise EngineError(NAME, self.unavailable_reason() or "not configured")
        pil, original = prepare_image(image, self.cfg)
        if self.cfg.url:
            answer, truncated = self._ask_server(pil)
        else:
            answer, truncated = self._local.generate(pil)
        return answer_to_lines(answer, pil.size, original, truncated=truncated)

    def _ask_server(self, pil: Image.Image) -> tuple[str | None, bool]:
        import openai

        buf = io.BytesIO()
        pil.save(buf, format="JPEG", quality=JPEG_QUALITY)
        data_uri = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
        messages = [{
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": data_uri}},
                {"type": "text", "text": layout.IMAGE_TOKENS + layout.PROMPT_LAYOUT_ALL_EN},
            ],
        }]
        client = self._client.get()
        try:
            # max_tokens rather than max_completion_tokens: ollama and older SGLang ignore the latter.
            resp = client.chat.completions.create(
                model=self.cfg.model, messages=messages, max_tokens=self.cfg.max_tokens,
                temperature=0.1, top_p=0.9,
            )
        except openai.APITimeoutError as exc:
            self._forget_probe()
            raise EngineError(NAME, f"no answer within {self.cfg.timeout_s:g}s from {self.cfg.url}",
                              transient=True) from exc
        except openai.APIConnectionError as exc:
            self._forget_probe()
            raise EngineError(NAME, f"cannot reach {self.cfg.url}: {exc}", transient=True) from exc
        except openai.APIStatusError as exc:
            transient = exc.status_code >= 500 or exc.status_code in (408, 429)
            if transient:
                self._forget_probe()
            raise EngineError(NAME, f"server answered HTTP {exc.status_code}: {_short(exc.message)}",
                              transient=transient) from exc
        except openai.OpenAIError as exc:
            raise EngineError(NAME, f"{type(exc).__name__}: {exc}") from exc
        choices = getattr(resp, "choices", None) or []
        if not choices or choices[0].message is None:
            raise EngineError(NAME, "the server's answer has no choices")
        return choices[0].message.content, choices[0].finish_reason == "length"


def probe_server(cfg: DotsSettings) -> str | None:
    """None when ``GET {url}/models`` answers and lists our model; the reason otherwise."""
    url = cfg.url.rstrip("/") + "/models"
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {cfg.api_key or 'EMPTY'}"})
    try:
        with urllib.request.urlopen(req, timeout=min(PROBE_TIMEOUT_S, cfg.timeout_s)) as resp:
            body = json.loads(resp.read(1_000_000) or b"{}")
    except urllib.error.HTTPError as exc:
        return f"{url} answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return f"server {url} not reachable: {getattr(exc, 'reason', exc)}"
    except ValueError:
        return f"{url} did not answer JSON; is DOTS_OCR_URL the API base (ending in /v1)?"
    served = [m.get("id") for m in body.get("data", []) if isinstance(m, dict)] if isinstance(body, dict) else []
    if served and cfg.model not in served:
        return f"{cfg.url} serves {', '.join(map(str, served))}, not {cfg.model!r} (set DOTS_OCR_MODEL)"
    return None


def _short(text: object, limit: int = 200) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"
