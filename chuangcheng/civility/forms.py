"""Input shape of the civility pages; domain rules live in the services."""

from django import forms
from django.utils import timezone

from chuangcheng.cases.forms import MultipleFileField
from chuangcheng.civility.models import (
    HonourLevel,
    PointState,
    RatingPeriod,
    RatingSource,
    ReviewResult,
    WindowIndustry,
)
from chuangcheng.org.forms import UnitTreeChoiceField
from chuangcheng.org.models import Unit

ISO_DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DOC_ACCEPT = ".pdf,.docx,.xlsx,image/*"


def units_for(user):
    return Unit.objects.visible_to(user).filter(is_active=True).order_by("path")


class CivilizedUnitForm(forms.Form):
    org_unit = UnitTreeChoiceField(
        label="对应组织机构单位", queryset=Unit.objects.none(), required=False, help_text="文明单位本身在单位树中时选择"
    )
    name = forms.CharField(label="文明单位名称", max_length=120, required=False, help_text="外部组织填写名称")
    unit = UnitTreeChoiceField(
        label="管理单位", queryset=Unit.objects.none(), required=False, help_text="不填时为对应单位；数据范围按此单位"
    )
    level = forms.ChoiceField(label="级别", choices=HonourLevel.choices, initial=HonourLevel.MUNICIPAL)
    year_awarded = forms.IntegerField(label="命名年度", initial=lambda: timezone.localdate().year)
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = self.fields["unit"].queryset = units_for(user)


class CivilizedUnitEditForm(forms.Form):
    year_awarded = forms.IntegerField(label="命名年度")
    note = forms.CharField(label="备注", max_length=500, required=False)


class StatusActionForm(forms.Form):
    action = forms.ChoiceField(choices=(("warn", "黄牌警示"), ("lift", "解除警示"), ("revoke", "撤销")))
    reason = forms.CharField(label="原因或说明", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改期限", widget=ISO_DATE, required=False)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label="复查年度", initial=lambda: timezone.localdate().year)
    result = forms.ChoiceField(label="复查结果", choices=ReviewResult.choices)
    reasons = forms.CharField(
        label="结论与理由", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="警示或不合格时必填"
    )
    reviewed_on = forms.DateField(label="复查日期", widget=ISO_DATE, initial=timezone.localdate)
    files = MultipleFileField(label="佐证材料（PDF、Word、Excel 或图片）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = DOC_ACCEPT


class IndustryForm(forms.Form):
    name = forms.CharField(label="行业名称", max_length=40)
    sort_order = forms.IntegerField(label="排序", initial=0)
    is_sample = forms.BooleanField(label="示例（非来自事实资料）", required=False)


class WindowUnitForm(forms.Form):
    industry = forms.ModelChoiceField(label="行业", queryset=WindowIndustry.objects.all())
    name = forms.CharField(label="窗口单位名称", max_length=120)
    unit = UnitTreeChoiceField(label="管理单位", queryset=Unit.objects.none())
    address = forms.CharField(label="地址", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user)


class CommitmentForm(forms.Form):
    content = forms.CharField(label="承诺内容", widget=forms.Textarea(attrs={"rows": 3}))
    published_where = forms.CharField(label="公开位置", max_length=200)
    published_on = forms.DateField(label="公开日期", widget=ISO_DATE, initial=timezone.localdate)


class PeriodForm(forms.Form):
    name = forms.CharField(label="评议周期", max_length=40, help_text="如：2026年第一季度")
    starts_on = forms.DateField(label="开始日期", widget=ISO_DATE)
    ends_on = forms.DateField(label="结束日期", widget=ISO_DATE)


class RatingForm(forms.Form):
    period = forms.ModelChoiceField(label="评议周期", queryset=RatingPeriod.objects.all())
    source = forms.ChoiceField(label="来源", choices=RatingSource.choices)
    score = forms.DecimalField(label="得分", max_digits=6, decimal_places=2, min_value=0, max_value=100)
    file = forms.FileField(label="评议材料（PDF、Word、Excel 或图片）", required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)


class CheckForm(forms.Form):
    state = forms.ChoiceField(label="检查结果", choices=PointState.choices)
    checked_on = forms.DateField(label="检查日期", widget=ISO_DATE, initial=timezone.localdate)
    photo = forms.FileField(
        label="现场照片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    note = forms.CharField(label="说明", max_length=500, required=False)
