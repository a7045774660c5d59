"""bench/run.py keeps working as drafter changes: each measurement runs once, tiny (no timing is asserted)."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("drafter_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_warm_measurements_run_in_turns(bench):
    times = bench.time_rounds(bench.warm_variants(), 2, 1)
    assert {"whole", "document", "load the YAML + punctuation", "validate with Cerberus"} <= set(times)
    assert all(len(values) == 2 and min(values) > 0 for values in times.values())


def test_the_docxtpl_comparison_runs_when_docxtpl_is_installed(bench):
    pytest.importorskip("docxtpl")
    from drafter.pipeline import make_draft

    speech = bench.docxtpl_speech(make_draft("speech", bench.SAMPLE, "report"))
    speech()


def test_the_long_report_script_writes_a_document(bench):
    out = subprocess.run([sys.executable, "-c", bench.LONG_REPORT, "30"], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result["bytes"] > 1000 and result["rss_kib"] > 0


def test_process_timing_takes_turns_and_keeps_every_run(bench, tmp_path):
    import os

    times = bench.time_rounds({"a": bench.process([sys.executable, "-c", "pass"], dict(os.environ), tmp_path),
                               "b": bench.process([sys.executable, "-c", "pass"], dict(os.environ), tmp_path)}, 2, 1)
    assert {name: len(values) for name, values in times.items()} == {"a": 2, "b": 2}
