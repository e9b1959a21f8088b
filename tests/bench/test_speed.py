"""The speed report names the machine it was measured on: timings only compare within one."""

from bench import speed


def test_machine_reads_this_cpu():
    host = speed.machine()
    assert host["cpus"] >= 1
    assert host["cpu"]
    assert all(f.startswith(("avx", "fma")) for f in host["vector"])


def test_table_heads_with_the_machine_and_ratios_against_the_first_engine():
    row = {"images": 2, "megapixels": 12.2, "load_s": 1.0, "peak_rss_mb": 900.0}
    report = {"machine": {"cpu": "Test CPU", "cpus": 2, "vector": ["avx2"], "load_1min": 0.5},
              "engines": [dict(row, engine="a", median_ms={s: 100.0 for s in speed.STAGES}),
                          dict(row, engine="b", median_ms={s: 250.0 for s in speed.STAGES}),
                          {"engine": "c", "unavailable": "not installed"}]}
    lines = speed.format_table(report).splitlines()
    assert lines[0] == "machine: Test CPU, 2 cores, avx2, load 0.5 at start"
    assert lines[5].split()[0] == "b" and lines[5].split()[-3] == "2.50"
    assert lines[6] == "c            not installed"
