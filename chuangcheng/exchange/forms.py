from django import forms

from chuangcheng.cases.models import CaseSource
from chuangcheng.exchange import selectors
from chuangcheng.exchange.models import Endpoint, EndpointKind
from chuangcheng.places.models import SiteCategory


class EndpointForm(forms.Form):
    code = forms.SlugField(label="接口编码（英文小写，创建后不可改）", max_length=40)
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=EndpointKind.choices)
    url = forms.URLField(label="地址（推送地址；Open311 为服务根地址）", max_length=500, assume_scheme="https")
    unit = forms.ModelChoiceField(
        label="对应单位（状态回传以该单位的系统账号办理）", queryset=selectors.active_units(), required=False
    )
    manual_only = forms.BooleanField(label="仅手动转派（不按规则自动推送）", required=False)
    rule_categories = forms.ModelMultipleChoiceField(
        label="推送的问题类别（不选为全部）", queryset=SiteCategory.objects.all(), required=False
    )
    rule_areas = forms.ModelMultipleChoiceField(
        label="推送的区域（含下级；不选为全部）", queryset=selectors.rule_areas(), required=False
    )
    rule_units = forms.ModelMultipleChoiceField(
        label="推送的责任单位（不选为全部）", queryset=selectors.active_units(), required=False
    )
    rule_sources = forms.MultipleChoiceField(
        label="推送的来源（不选为全部）", choices=CaseSource.choices, required=False
    )
    open311_jurisdiction = forms.CharField(label="Open311 jurisdiction_id", max_length=100, required=False)
    open311_api_key = forms.CharField(label="Open311 api_key", max_length=128, required=False)
    pull_every_minutes = forms.IntegerField(label="拉取间隔（分钟）", min_value=1, max_value=1440, initial=15)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, instance: Endpoint | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": instance.code,
                    "name": instance.name,
                    "kind": instance.kind,
                    "url": instance.url,
                    "unit": instance.unit,
                    "manual_only": instance.manual_only,
                    "rule_categories": list(instance.rule_categories.all()),
                    "rule_areas": list(instance.rule_areas.all()),
                    "rule_units": list(instance.rule_units.all()),
                    "rule_sources": instance.rule_sources,
                    "open311_jurisdiction": instance.open311_jurisdiction,
                    "open311_api_key": instance.open311_api_key,
                    "pull_every_minutes": instance.pull_every_minutes,
                    "is_active": instance.is_active,
                },  # fmt: skip
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["code"].disabled = True


class SendCaseForm(forms.Form):
    endpoint = forms.ModelChoiceField(label="外部系统", queryset=selectors.push_endpoints())
