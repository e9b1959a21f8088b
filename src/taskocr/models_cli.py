"""``taskocr models list | download dots [--dir D] | verify [dots|easyocr]``.

The main CLI hands everything after ``models`` to ``main(argv)``. Exit codes: 0 done,
1 the download or a check failed (offline, incomplete weights), 2 bad usage or a missing
dependency.
"""

from __future__ import annotations

import argparse
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
    v = sub.add_parser("verify", help="check weights on disk (md5 for EasyOCR, completeness for dots)")
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
        return verify(args.model, args.dir or default_dots_dir(settings))
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


def verify(model: str, dots_dir: Path) -> int:
    failed = False
    if model in ("dots", "all"):
        problem = dots_local.weights_problem(dots_dir)
        print(f"dots: {'ok ' + str(dots_dir) if not problem else problem}")
        failed |= problem is not None
    if model in ("easyocr", "all"):
        problem = easy.weights_problem(easy.default_weights_dir())
        print(f"easyocr: {'ok (md5 match) ' + str(easy.default_weights_dir()) if not problem else problem}")
        failed |= problem is not None
    return 1 if failed else 0


def list_models(settings: Settings) -> int:
    from .engines.registry import AUTO_ORDER, Registry

    reg = Registry(settings)
    for name in AUTO_ORDER:
        try:
            reason = reg.get(name).unavailable_reason()
        except Exception as exc:  # an engine module that does not import yet is still listed
            reason = f"{type(exc).__name__}: {exc}"
        print(f"{name:10} {'available' if reason is None else 'declines: ' + reason}")
    print(f"dots weights folder: {default_dots_dir(settings)}")
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
