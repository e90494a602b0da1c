"""File-size rule: Python, template and script files over 800 lines fail the build; over 400 are listed as a warning."""

import sys
from pathlib import Path

SOFT, HARD = 400, 800
ROOTS = ("chuangcheng", "config", "bench", "tools", "tests", "templates", "static")
PATTERNS = ("*.py", "*.html", "*.js")


def main() -> int:
    failed = False
    for root in ROOTS:
        for path in sorted(p for pattern in PATTERNS for p in Path(root).rglob(pattern)):
            if "migrations" in path.parts or "vendor" in path.parts:
                continue
            lines = sum(1 for _ in path.open(encoding="utf-8"))
            if lines > HARD:
                print(f"ERROR {path}: {lines} lines (hard limit {HARD}); split it by sub-domain")
                failed = True
            elif lines > SOFT:
                print(f"warning {path}: {lines} lines (soft limit {SOFT})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
