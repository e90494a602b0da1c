"""Choices of the 创文 测评体系 (evaluation system): the six data-collection methods.

The structure 测评项目 → 测评内容 → 测评标准 maps onto the clause tree: a 测评项目 is a ``section`` clause, a
测评内容 an ``article`` clause under it, a 测评标准 a ``CheckItem`` of that article. A 测评标准 scored by
observation has ``judgement = observe``: its score is 分值 (``full_points``) × 达标率, observed ``observations``
times at each sampled point. Methods are stored as comma-separated codes (``methods``).
"""

from __future__ import annotations

from django.db import models


class EvalMethod(models.TextChoices):
    FIELD = "field", "实地考察"
    SURVEY = "survey", "问卷调查"
    MATERIAL = "material", "材料审核"
    ONLINE = "online", "网络调查"
    REPORT = "report", "听取汇报"
    OVERALL = "overall", "整体观察"


METHOD_LABELS = dict(EvalMethod.choices)
METHOD_CODES = {label: code for code, label in EvalMethod.choices}


def method_codes(value: str) -> list[str]:
    """The method codes of a stored ``methods`` value, in order, without blanks."""
    return [code for code in (part.strip() for part in (value or "").split(",")) if code]


def method_labels(value: str) -> list[str]:
    return [METHOD_LABELS.get(code, code) for code in method_codes(value)]
