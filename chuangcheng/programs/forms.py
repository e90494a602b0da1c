from django import forms

from chuangcheng.org.models import TERRITORIAL_KINDS, Unit
from chuangcheng.programs.models import Campaign, CampaignStatus
from chuangcheng.programs.titles import Title
from chuangcheng.standards.models import Standard

DATE = forms.DateInput(attrs={"type": "date"})


class CampaignForm(forms.Form):
    code = forms.CharField(label="活动编码", max_length=60, help_text="唯一，例如 GW-2026；创建后不可修改")
    name = forms.CharField(label="活动名称", max_length=200)
    unit = forms.ModelChoiceField(
        label="创建单位", queryset=Unit.objects.none(), help_text="市、区县、街道乡镇或社区村"
    )
    title = forms.ChoiceField(label="创建目标", choices=Title.choices)
    standard = forms.ModelChoiceField(label="评价标准", queryset=Standard.objects.none(), required=False)
    office_unit = forms.ModelChoiceField(
        label="创建办", queryset=Unit.objects.none(), required=False, help_text="须在创建单位的辖区内"
    )
    parent = forms.ModelChoiceField(
        label="上级活动",
        queryset=Campaign.objects.none(),
        required=False,
        help_text="留空：自动取上级单位正在进行的活动",
    )
    status = forms.ChoiceField(
        label="状态", choices=[(CampaignStatus.PREPARING, "筹备"), (CampaignStatus.ACTIVE, "进行中")]
    )
    starts_on = forms.DateField(label="开始日期", required=False, widget=DATE)
    ends_on = forms.DateField(label="结束日期", required=False, widget=DATE)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, instance: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).filter(is_active=True).order_by("path")
        self.fields["unit"].queryset = units.filter(kind__in=TERRITORIAL_KINDS)
        self.fields["office_unit"].queryset = units
        self.fields["standard"].queryset = Standard.objects.order_by("kind", "-effective_date", "-id")
        parents = Campaign.objects.visible_to(user).exclude(status=CampaignStatus.CLOSED).select_related("unit")
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
            for name in ("code", "unit"):
                self.fields[name].disabled = True
                self.fields[name].required = False
        self.fields["parent"].queryset = parents.order_by("unit__path", "id")


class CloseForm(forms.Form):
    ends_on = forms.DateField(label="结束日期", required=False, widget=DATE)
