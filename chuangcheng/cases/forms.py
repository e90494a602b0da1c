from django import forms

from chuangcheng.cases.models import CaseSource, Severity
from chuangcheng.org.forms import UnitTreeChoiceField, UnitTreeMultipleChoiceField
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, Site, SiteCategory
from chuangcheng.standards.models import CheckItem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class CaseReportForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=CaseSource.choices, initial=CaseSource.PATROL)
    title = forms.CharField(label="问题标题", max_length=200)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    category = forms.ModelChoiceField(label="类别", queryset=SiteCategory.objects.all(), required=False)
    site = forms.ModelChoiceField(label="点位", queryset=Site.objects.none(), required=False)
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial=Severity.NORMAL)
    lng = forms.FloatField(label="经度", required=False)
    lat = forms.FloatField(label="纬度", required=False)
    reporter_name = forms.CharField(label="反映人", required=False)
    reporter_phone = forms.CharField(label="联系电话", required=False)
    external_ref = forms.CharField(label="外部编号（如12345工单号）", required=False)
    photos = MultipleFileField(label="问题照片")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["site"].queryset = Site.objects.visible_to(user).filter(is_active=True)


class RoutingRuleForm(forms.Form):
    name = forms.CharField(label="规则名称", max_length=100)
    check_item = forms.ModelChoiceField(label="检查项", queryset=CheckItem.objects.none(), required=False)
    category = forms.ModelChoiceField(label="类别", queryset=SiteCategory.objects.all(), required=False)
    area = forms.ModelChoiceField(
        label="区域（含下级）", queryset=Area.objects.none(), required=False, help_text="不填则全市适用"
    )
    lead_unit = UnitTreeChoiceField(label="牵头单位", queryset=Unit.objects.none())
    cooperating_units = UnitTreeMultipleChoiceField(
        label="配合单位", queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    priority = forms.IntegerField(label="优先级", initial=0, help_text="同样具体的规则，优先级高者先用")
    is_active = forms.BooleanField(label="启用", required=False, initial=True, help_text="停用的规则保留但不参与分派")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).filter(is_active=True).order_by("path")
        self.fields["lead_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units
        self.fields["area"].queryset = Area.objects.visible_to(user).defer("geometry").order_by("level", "code")
        self.fields["check_item"].queryset = CheckItem.objects.order_by("code", "id")
        self.fields["category"].queryset = SiteCategory.objects.order_by("sort_order", "code")


class DeadlineRuleForm(forms.Form):
    category = forms.ModelChoiceField(
        label="类别",
        queryset=SiteCategory.objects.order_by("sort_order", "code"),
        required=False,
        empty_label="任意类别",
    )
    severity = forms.ChoiceField(label="严重程度", choices=[("", "任意程度"), *Severity.choices], required=False)
    days = forms.IntegerField(label="整改期限（工作日）", min_value=1, max_value=365)
    note = forms.CharField(label="说明", max_length=200, required=False)
