"""Whole-process timings of the CLI, beside the bare imports it cannot avoid.

    python bench/startup.py [--runs 5]

Run it with the Python of the environment drafter is installed in; it calls that environment's
`drafter` script directly (a pyenv shim in front would add ~0.1 s of its own).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(command, runs: int, cwd: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    script = Path(sys.executable).with_name("drafter")
    drafter = [str(script)] if script.exists() else [sys.executable, "-m", "drafter"]
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        shutil.copy(ROOT / "facts" / "2024.yaml", work_dir / "2024.yaml")
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("bare imports (docx, jinja2, yaml, cerberus)",
             [sys.executable, "-c", "import docx, jinja2, yaml, cerberus"]),
            ("drafter --help", drafter + ["--help"]),
            ("drafter speech 2024.yaml", drafter + ["speech", "2024.yaml", "--force"]),
        ]
        results = {name: median_seconds(command, runs, work_dir) for name, command in rows}
    bare = results["bare imports (docx, jinja2, yaml, cerberus)"]
    print(f"median of {runs} runs, {sys.version.split()[0]}")
    for name, seconds in results.items():
        print(f"{name:<45} {seconds * 1000:7.0f} ms  {seconds / bare:5.2f}× bare imports")


if __name__ == "__main__":
    main()
