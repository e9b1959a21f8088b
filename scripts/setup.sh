#!/usr/bin/env bash
# Installs everything taskocr needs on a fresh Debian/Ubuntu machine: system packages (when
# run as root or with sudo), the virtualenv at .venv with taskocr and its extras, and the
# handwriting fonts the benchmark and the tests render with. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRAS="${TASKOCR_EXTRAS:-server,dots,easyocr,test}"
APT_PACKAGES=(tesseract-ocr tesseract-ocr-eng curl nodejs npm)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# nodejs/npm may come from elsewhere than apt; only the npm command matters
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[${EXTRAS}]"

# handwriting fonts for the benchmark and the tests (npm registry; never committed)
.venv/bin/python -m bench fonts
echo "setup: done — .venv/bin/taskocr is ready"
