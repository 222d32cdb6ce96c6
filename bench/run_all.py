"""Run every benchmark in turn (``make bench``), each in its own process.

Each benchmark prints its own table with the targets it checks; this runner only sequences them
so that no benchmark inherits another's warm caches or loaded model, and ends with a table of
which ones ran, how long they took and whether they exited cleanly. ``--quick`` uses small
corpora to check the benchmarks themselves still work; the numbers worth quoting come from the
full sizes.

    .venv/bin/python bench/run_all.py [--quick] [--only ingest,embedding]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._util import print_table

HERE = Path(__file__).resolve().parent

# name -> (full-size arguments, quick arguments)
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "ingest": (["--count", "1000"], ["--count", "50"]),
    "embedding": ([], ["--segments", "200", "--repeat", "1"]),
    "prefect": (["--count", "1000"], ["--count", "30", "--hashing", "--repeats", "1"]),
    "active_learning": (
        [],
        ["--seeds", "2", "--embedder", "lsa", "--out", "/tmp/telaah-bench-quick"],
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument(
        "--only", default="", help="comma-separated subset of " + ", ".join(BENCHES)
    )
    args = parser.parse_args()
    chosen = [n for n in args.only.split(",") if n] or list(BENCHES)
    unknown = sorted(set(chosen) - set(BENCHES))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; expected some of {sorted(BENCHES)}")
    rows = []
    for name in chosen:
        full, quick = BENCHES[name]
        command = [sys.executable, str(HERE / f"bench_{name}.py"), *(quick if args.quick else full)]
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        code = subprocess.call(command)
        rows.append([name, "ok" if code == 0 else f"exit {code}", time.perf_counter() - started])
    print()
    print_table(["benchmark", "status", "seconds"], rows)
    return 0 if all(r[1] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
