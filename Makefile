# `make run` installs what the app needs on a CPU and starts it; `make test` adds EasyOCR, the
# benchmark's fonts and the local services, then runs the tests. Without make: scripts/setup.sh.
.PHONY: setup setup-test run test bench-accuracy bench-speed
PORT ?= 8000

.venv/.installed: pyproject.toml scripts/setup.sh
	./scripts/setup.sh
	touch $@

.venv/.installed-test: pyproject.toml scripts/setup.sh
	./scripts/setup.sh --test
	touch $@ .venv/.installed

setup: .venv/.installed

setup-test: .venv/.installed-test

run: setup
	.venv/bin/taskocr serve --port $(PORT)

# every engine the set-up installs must really run: a declining EasyOCR fails its test
test: setup-test
	./scripts/services.sh
	TASKOCR_REQUIRE_EASYOCR=1 .venv/bin/python -m pytest

bench-accuracy: setup-test
	.venv/bin/python -m bench accuracy --engine ppocr,ppocr-tiny,tesseract

bench-speed: setup-test
	.venv/bin/python -m bench speed --engine ppocr,ppocr-tiny,tesseract
