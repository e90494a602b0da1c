"""Built-in catalogs written from the shared facts (``standards_data.json``, copied here)."""

from __future__ import annotations

from chuangcheng.standards.builtin.civilized import build_civilized
from chuangcheng.standards.builtin.review import build_review
from chuangcheng.standards.builtin.samples import sample_items
from chuangcheng.standards.builtin.sanitary import build_2014, build_2021
from chuangcheng.standards.builtin.spec import StandardSpec
from chuangcheng.standards.builtin.urban import build_digital, build_hotline


def build_all() -> list[StandardSpec]:
    current = build_2021()
    current.items.extend(sample_items())
    return [build_2014(), current, build_review(), build_civilized(), build_digital(), build_hotline()]
