"""Architecture rules from STYLE.md, checked with plain text search.

(a) a case's ``status`` is assigned only in cases/workflow.py;
(b) api.py/views.py do not query domain models with .objects.get/filter outside visible_to;
(c) no .save( in api.py, views.py, forms.py, tasks.py;
(d) select_for_update always passes no_key=.
"""

import re
import sys
from pathlib import Path

ROOT = Path("chuangcheng")
ADAPTERS = {"api.py", "views.py", "forms.py", "tasks.py"}


def adapter_files():
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if path.name in ADAPTERS or (path.parent.name in {"views", "api"} and path.suffix == ".py"):
            yield path


def main() -> int:
    problems: list[str] = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if "select_for_update(" in line and "no_key=" not in line:
                problems.append(f"{path}:{number}: select_for_update must pass no_key= (rule d)")
            if re.search(r"\bcase\.status\s*=[^=]", line) and path.as_posix() != "chuangcheng/cases/workflow.py":
                problems.append(f"{path}:{number}: case.status is set only in cases/workflow.py (rule a)")
    for path in adapter_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ".save(" in line:
                problems.append(f"{path}:{number}: no .save( in adapters; call a service (rule c)")
            if re.search(r"\.objects\.(get|filter)\(", line) and "visible_to" not in line:
                problems.append(f"{path}:{number}: query through visible_to(user) (rule b)")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
