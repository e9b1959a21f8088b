# Two commands on a fresh machine: `make run` starts the app, `make test` runs the tests.
.PHONY: setup run test bench-accuracy bench-speed
PORT ?= 8000

.venv/.installed: pyproject.toml scripts/setup.sh
	./scripts/setup.sh
	touch $@

setup: .venv/.installed

run: setup
	.venv/bin/taskocr serve --port $(PORT)

# every engine the set-up installs must really run: a declining EasyOCR fails its test
test: setup
	TASKOCR_REQUIRE_EASYOCR=1 .venv/bin/python -m pytest

bench-accuracy: setup
	.venv/bin/python -m bench accuracy --engine ppocr,ppocr-tiny,tesseract

bench-speed: setup
	.venv/bin/python -m bench speed --engine ppocr,ppocr-tiny,tesseract
