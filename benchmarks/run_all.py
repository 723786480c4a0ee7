"""Run every benchmark script in this folder, one after another, and print their figures.

Usage: python benchmarks/run_all.py [--persons N]  (extra args are passed to each script)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script), *sys.argv[1:]], check=False)
        if result.returncode:
            failures += 1
            print(f"{script.name} exited {result.returncode}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
