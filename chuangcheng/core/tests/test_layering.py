"""Rule (e) of tools/check_architecture.py: lower apps never import higher ones; and the registries that
let lower apps show what higher ones own (the home page's 我的范围, the 通报's meeting lapses)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def load_checker():
    spec = importlib.util.spec_from_file_location("check_architecture", ROOT / "tools" / "check_architecture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_app(root: Path, name: str, source: str) -> None:
    (root / name).mkdir(parents=True)
    (root / name / "__init__.py").write_text("")
    (root / name / "services.py").write_text(source)


def test_the_tree_keeps_its_layers():
    assert load_checker().layering_problems() == []


def test_a_lower_app_importing_a_higher_one_is_reported(tmp_path):
    checker = load_checker()
    make_app(tmp_path, "cases", "def f():\n    from chuangcheng.campaigns.models import Plan\n")
    make_app(tmp_path, "campaigns", "from chuangcheng.cases.models import Case\n")
    make_app(tmp_path, "core", "from chuangcheng.places import lookup\n")
    make_app(tmp_path, "accounts", "from chuangcheng.core.scoping import scope_of\n")
    problems = checker.layering_problems(tmp_path)
    assert any("cases/services.py:2: cases must not import campaigns" in p for p in problems)
    assert any("core/services.py:1: core must not import places" in p for p in problems)
    assert not any("campaigns/services.py" in p or "accounts/services.py" in p for p in problems)


def test_same_layer_imports_are_refused_outside_the_kernel(tmp_path):
    checker = load_checker()
    make_app(tmp_path, "readiness", "import chuangcheng.assessments.selectors\n")
    make_app(tmp_path, "somethingnew", "")
    problems = checker.layering_problems(tmp_path)
    assert any("readiness must not import assessments" in p for p in problems)
    assert any("somethingnew: app not in LAYERS" in p for p in problems)


@pytest.mark.django_db
def test_scope_summary_counts_what_places_registered():
    from chuangcheng.accounts.selectors import scope_summary
    from chuangcheng.accounts.tests.factories import UserFactory

    user = UserFactory(is_superuser=True)
    summary = scope_summary(user)
    assert summary.startswith("可见单位 ") and "区域 " in summary and "点位 " in summary


def test_meeting_lapses_reach_the_bulletin_through_the_registry():
    from chuangcheng.assessments.selectors import LAPSE_SOURCES
    from chuangcheng.campaigns.meeting_selectors import attendance_lapses

    assert LAPSE_SOURCES.count(attendance_lapses) == 1
