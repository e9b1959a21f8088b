"""dots.ocr in-process with transformers (``DOTS_OCR_MODEL_PATH``), for a single GPU machine.

The weights ship their own model code (``trust_remote_code``). bfloat16 on a GPU, float32 on
the CPU (which works but takes minutes per photo), 8-bit through bitsandbytes when asked.
The model is loaded once per process and generation is serialised: one model, one GPU.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
from pathlib import Path

from ..config import DotsSettings
from ..errors import EngineError
from . import dots_layout as layout
from .base import LazyModel

log = logging.getLogger("taskocr.engines.dots")

NAME = "dots"
DEFAULT_REPO = "rednote-hilab/dots.ocr"


def weights_problem(path: str | Path) -> str | None:
    """None when ``path`` holds a complete dots.ocr snapshot; what is wrong otherwise."""
    p = Path(path).expanduser()
    if not p.is_dir():
        return f"weights directory {p} does not exist (run: taskocr models download dots --dir {p})"
    if "." in p.name:
        # The remote code is imported as a Python module named after the folder.
        return f"weights directory name {p.name!r} contains a '.'; rename it (e.g. DotsOCR)"
    if not (p / "config.json").is_file():
        return f"{p} has no config.json: not a model snapshot (run: taskocr models download dots --dir {p})"
    try:
        auto_map = json.loads((p / "config.json").read_text()).get("auto_map") or {}
    except (ValueError, OSError, AttributeError) as exc:
        return f"{p / 'config.json'} is unreadable: {exc}"
    # trust_remote_code imports these files from the folder; a partial copy fails deep in transformers.
    for ref in auto_map.values():
        for r in ref if isinstance(ref, list) else [ref]:
            module = str(r or "").split("--")[-1].rpartition(".")[0]
            if module and not (p / f"{module}.py").is_file():
                return f"{p} lacks {module}.py, the model code its config.json names (re-run the download)"
    index = p / "model.safetensors.index.json"
    if index.is_file():
        try:
            shards = set(json.loads(index.read_text())["weight_map"].values())
        except (ValueError, KeyError, OSError) as exc:
            return f"{index} is unreadable: {exc}"
        missing = sorted(s for s in shards if not (p / s).is_file())
        if missing:
            return f"{p} is incomplete: missing {', '.join(missing)} (re-run the download)"
    elif not any(p.glob("*.safetensors")):
        return f"{p} has no *.safetensors weights (re-run the download)"
    return None


class LocalDots:
    def __init__(self, cfg: DotsSettings):
        self.cfg = cfg
        self._model = LazyModel(self._build)
        self._generate_lock = threading.Lock()
        self._reason: str | None = None
        self._checked = False

    def unavailable_reason(self) -> str | None:
        # Cheap checks only (no torch import): the auto chain asks this for every image.
        if not self._checked:
            self._reason = self._check()
            self._checked = True
        return self._reason

    def _check(self) -> str | None:
        problem = weights_problem(self.cfg.model_path)
        if problem:
            return problem
        for module, pkg in (("torch", "torch"), ("transformers", "transformers")):
            if importlib.util.find_spec(module) is None:
                return f"DOTS_OCR_MODEL_PATH is set but {pkg} is not installed (see the README, Running dots.ocr on a GPU)"
        if self.cfg.load_in_8bit and importlib.util.find_spec("bitsandbytes") is None:
            return "DOTS_OCR_8BIT=1 needs bitsandbytes (pip install bitsandbytes)"
        return None

    def load(self) -> None:
        self._model.get()

    def _build(self):
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoProcessor
        except Exception as exc:  # a broken torch raises more than ImportError
            raise EngineError(NAME, f"cannot import torch/transformers: {type(exc).__name__}: {exc}") from exc
        cuda = torch.cuda.is_available()
        kw: dict = {"trust_remote_code": True}
        if cuda and importlib.util.find_spec("flash_attn") is not None:
            kw["attn_implementation"] = "flash_attention_2"
        else:
            kw["attn_implementation"] = "sdpa"
        if self.cfg.load_in_8bit:
            if not cuda:
                raise EngineError(NAME, "DOTS_OCR_8BIT=1 needs a CUDA GPU; none is visible to torch")
            from transformers import BitsAndBytesConfig

            kw["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
            kw["device_map"] = "auto"
        elif cuda:
            kw["torch_dtype"] = torch.bfloat16
            kw["device_map"] = "auto"
        else:
            kw["torch_dtype"] = torch.float32
            log.warning("dots.ocr in-process on the CPU: expect minutes per photo; use a GPU or DOTS_OCR_URL")
        path = str(Path(self.cfg.model_path).expanduser())
        try:
            model = AutoModelForCausalLM.from_pretrained(path, **kw).eval()
            processor = AutoProcessor.from_pretrained(path, trust_remote_code=True)
        except Exception as exc:
            oom = "out of memory" in str(exc).lower()
            hint = " (try DOTS_OCR_8BIT=1 or a smaller DOTS_OCR_MAX_PIXELS)" if oom else ""
            raise EngineError(NAME, f"loading {path} failed: {type(exc).__name__}: {exc}{hint}") from exc
        return model, processor, torch

    def generate(self, image) -> tuple[str, bool]:
        """The model's answer for an already-resized PIL image, and whether it hit max_tokens."""
        model, processor, torch = self._model.get()
        messages = [{"role": "user", "content": [
            {"type": "image", "image": image},
            {"type": "text", "text": layout.PROMPT_LAYOUT_ALL_EN},
        ]}]
        try:
            # The chat template inserts the image tokens itself (unlike the HTTP path).
            text = processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
            # The image is already on the model's 28-px grid, so the processor's own resize is a no-op.
            inputs = processor(text=[text], images=[image], padding=True, return_tensors="pt")
            inputs = inputs.to(next(model.parameters()).device)
            with self._generate_lock, torch.inference_mode():
                out = model.generate(**inputs, max_new_tokens=self.cfg.max_tokens, do_sample=False)
            new = out[0][inputs["input_ids"].shape[1]:]
            answer = processor.batch_decode([new], skip_special_tokens=True,
                                            clean_up_tokenization_spaces=False)[0]
        except Exception as exc:
            oom = "out of memory" in str(exc).lower()
            if oom and torch.cuda.is_available():
                torch.cuda.empty_cache()
            hint = "; lower DOTS_OCR_MAX_PIXELS or set DOTS_OCR_8BIT=1" if oom else ""
            raise EngineError(NAME, f"generation failed: {type(exc).__name__}: {exc}{hint}",
                              transient=oom) from exc
        return answer, len(new) >= self.cfg.max_tokens
