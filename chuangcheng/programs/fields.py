"""The campaign selector every form and serializer of an owned object uses (rounds, plans, schemes, periods,
windows, forecasts, archive assignments). Choices are the campaigns the user may attach objects to; the form's
default is the user's own unit's running campaign. The services check the choice again (``require_campaign``).
"""

from __future__ import annotations

from django import forms
from rest_framework import serializers

from chuangcheng.programs.models import Campaign
from chuangcheng.programs.selectors import attachable_choices, default_campaign_for

HELP = "留空：归属单位当前进行中的创建活动"


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, campaign: Campaign) -> str:
        return f"{campaign.name}（{campaign.unit.name}）"


def add_campaign_field(form: forms.Form, user, *, name: str = "campaign", current: Campaign | None = None) -> None:
    """Put the selector on ``form`` (before the other fields), with the user's default when the form is new."""
    current = current if current is not None else form.initial.get(name)
    choices = attachable_choices(user)
    ids = [campaign.pk for campaign in choices]
    if current is not None and current.pk not in ids:
        ids.append(current.pk)
    field = CampaignChoiceField(
        label="创建活动",
        required=False,
        queryset=Campaign.objects.filter(pk__in=ids).select_related("unit").order_by("unit__path", "id"),
        help_text=HELP,
    )
    field.initial = current if current is not None else default_campaign_for(user, choices)
    form.fields = {name: field, **form.fields}


class CampaignRelatedField(serializers.PrimaryKeyRelatedField):
    """``campaign`` on an owned object's serializer: an id or null; the service checks scope and status."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Campaign.objects.all())
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
