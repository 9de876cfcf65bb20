"""`make bench`: every benchmark in its own process, printing figures (nothing is asserted about speed).

BENCH_DATABASE_URL picks the database for all of them (default: var/bench.sqlite3);
extra arguments are passed to every module (each ignores what it does not know).
"""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "benchmarks.nearest",
    "benchmarks.map_viewport",
    "benchmarks.page_weight",
    "benchmarks.admin_changelist",
    "benchmarks.imports",
]


def main() -> int:
    failed = []
    for name in MODULES:
        # A process each: every module sets Django up for its own database.
        result = subprocess.run([sys.executable, "-m", name, *sys.argv[1:]], check=False)
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
