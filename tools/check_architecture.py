"""Architecture rules from STYLE.md, checked with plain text search.

(a) a case's ``status`` is assigned only in cases/workflow.py;
(b) api.py/views.py do not query domain models with .objects.get/filter outside visible_to;
(c) no .save( in api.py, views.py, forms.py, tasks.py;
(d) select_for_update always passes no_key=;
(e) layering is one-way: an app imports only apps of a lower layer (``LAYERS``, lowest first). The kernel
    (core, audit, org, accounts: users, units and the audit trail need each other) is one layer. A lower app
    that must show something of a higher one offers a registry the higher app fills in its AppConfig.ready()
    (``accounts.selectors.register_scope_counter``, ``assessments.selectors.register_lapse_source``).
"""

import re
import sys
from pathlib import Path

ROOT = Path("chuangcheng")
ADAPTERS = {"api.py", "views.py", "forms.py", "tasks.py"}
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"core", "audit", "org", "accounts"}),
    frozenset({"places"}),
    frozenset({"standards", "notifications"}),
    frozenset({"programs"}),
    frozenset({"cases", "dossiers"}),
    frozenset({"public", "inspections"}),
    frozenset({"exchange", "assessments", "readiness"}),
    frozenset({"campaigns", "dashboard", "volunteers", "civility"}),
)
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}
IMPORT = re.compile(r"^\s*(?:from|import)\s+chuangcheng\.(\w+)")


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
    problems += layering_problems()
    for path in adapter_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ".save(" in line:
                problems.append(f"{path}:{number}: no .save( in adapters; call a service (rule c)")
            if re.search(r"\.objects\.(get|filter)\(", line) and "visible_to" not in line:
                problems.append(f"{path}:{number}: query through visible_to(user) (rule b)")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def layering_problems(root: Path = ROOT) -> list[str]:
    problems = []
    for app_dir in sorted(p for p in root.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        app = app_dir.name
        if app not in LAYER_OF:
            problems.append(f"{app_dir}: app not in LAYERS of tools/check_architecture.py; declare its layer (rule e)")
            continue
        for path in app_dir.rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                match = IMPORT.match(line)
                if not match or match.group(1) == app:
                    continue
                other = match.group(1)
                mine, theirs = LAYER_OF[app], LAYER_OF.get(other, 0)
                if theirs > mine or (theirs == mine and mine > 0):
                    problems.append(f"{path}:{number}: {app} must not import {other} (same or higher layer; rule e)")
    return problems


if __name__ == "__main__":
    sys.exit(main())
