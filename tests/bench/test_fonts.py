"""Font set-up against a stand-in ``npm``: what is fetched, what is kept, and idempotence."""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest

from bench import fonts

FAKE_NPM = textwrap.dedent('''\
    #!{python}
    # Stands in for "npm pack --json --pack-destination DIR SPEC...": writes fontsource-like
    # tarballs and logs each call, so the test can count network round trips.
    import io, json, sys, tarfile
    from pathlib import Path
    args = sys.argv[1:]
    dest = Path(args[args.index("--pack-destination") + 1])
    specs = [a for a in args if a.startswith("@fontsource/")]
    with open({log!r}, "a") as log:
        log.write(" ".join(specs) + "\\n")
    out = []
    for spec in specs:
        name, version = spec[len("@fontsource/"):].rsplit("@", 1)
        fn = f"fontsource-{{name}}-{{version}}.tgz"
        with tarfile.open(dest / fn, "w:gz") as tar:
            for path, data in ((f"package/files/{{name}}-latin-400-normal.woff", b"wOFF" + name.encode()),
                               ("package/LICENSE", b"OFL")):
                info = tarfile.TarInfo(path)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        out.append({{"name": "@fontsource/" + name, "version": version, "filename": fn}})
    print(json.dumps(out))
''')


@pytest.fixture
def fake_npm(tmp_path):
    log = tmp_path / "npm.log"
    exe = tmp_path / "npm"
    exe.write_text(FAKE_NPM.format(python=sys.executable, log=str(log)))
    os.chmod(exe, 0o755)
    return str(exe), log


def test_install_fetches_only_what_is_missing(tmp_path, fake_npm):
    npm, log = fake_npm
    target = tmp_path / "fonts"
    fonts.install(target, ["caveat", "zeyada"], npm=npm)
    assert (target / "caveat.woff").read_bytes() == b"wOFFcaveat"
    assert (target / "licenses" / "zeyada.txt").read_bytes() == b"OFL"
    lock = json.loads((target / fonts.LOCK_NAME).read_text())
    assert lock == {"caveat": "@fontsource/caveat@5.3.0", "zeyada": "@fontsource/zeyada@5.3.0"}

    fonts.install(target, ["caveat", "zeyada"], npm=npm)  # nothing to do: npm is not called
    assert len(log.read_text().splitlines()) == 1

    (target / "zeyada.woff").unlink()
    fonts.install(target, npm=npm)  # everything else, plus the one that went missing, in one call
    calls = log.read_text().splitlines()
    assert len(calls) == 2 and "@fontsource/zeyada@5.3.0" in calls[1] and "caveat" not in calls[1]
    assert fonts.missing(target) == []
    assert len(list(target.glob("*.woff"))) == len(fonts.FONTS)


def test_a_changed_pin_is_fetched_again(tmp_path, fake_npm):
    npm, log = fake_npm
    target = tmp_path / "fonts"
    fonts.install(target, ["caveat"], npm=npm)
    lock = json.loads((target / fonts.LOCK_NAME).read_text())
    lock["caveat"] = "@fontsource/caveat@5.0.0"
    (target / fonts.LOCK_NAME).write_text(json.dumps(lock))
    assert [f.name for f in fonts.missing(target, ["caveat"])] == ["caveat"]


def test_missing_npm_says_what_to_do(tmp_path):
    with pytest.raises(RuntimeError, match="npm"):
        fonts.install(tmp_path, ["caveat"], npm="no-such-npm-here")


def test_font_path_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m bench fonts"):
        fonts.font_path("caveat", tmp_path)
