from django import forms

from chuangcheng.cases.models import CaseSource, Severity
from chuangcheng.places.models import Site, SiteCategory


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
