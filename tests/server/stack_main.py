"""Entry point for the service processes the tests start: registers the test engines,
then runs ``taskocr.server.cli`` exactly as the `taskocr` command would."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engines_for_tests  # noqa: E402

engines_for_tests.register()

from taskocr.server.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
