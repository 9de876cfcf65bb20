"""`make bench`: every benchmark, one after another, printing figures (nothing is asserted about speed)."""

from __future__ import annotations

import importlib
import sys

MODULES = ["benchmarks.nearest", "benchmarks.admin_changelist"]


def main() -> None:
    args = sys.argv[1:]
    for name in MODULES:
        module = importlib.import_module(name)
        sys.argv = [name, *args]
        module.main()


if __name__ == "__main__":
    main()
