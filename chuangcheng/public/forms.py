"""Input shape for the public pages and the office pages (domain rules live in services)."""

from __future__ import annotations

from django import forms

from chuangcheng.places.models import Area, SiteCategory
from chuangcheng.public.models import CallbackOutcome, Indicator, QuestionKind, RatingLevel
from chuangcheng.public.selectors import survey_scope_areas
from chuangcheng.public.workorders import FIELDS as HOTLINE_FIELDS


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label="问题类别", queryset=SiteCategory.objects.order_by("sort_order", "code"), empty_label="请选择"
    )
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    lng = forms.FloatField(label="经度", required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(label="纬度", required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label="地点描述",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "地点描述，如：人民路 12 号小区门口"}),
    )
    phone = forms.CharField(label="手机号（选填，便于回访）", required=False, max_length=20)
    name = forms.CharField(label="称呼（选填）", required=False, max_length=50)
    # Honeypot: hidden from people by CSS; robots fill every field.
    website = forms.CharField(label="网站", required=False)


class FollowForm(forms.Form):
    number = forms.CharField(label="受理编号", max_length=20)
    code = forms.CharField(label="查询码", max_length=10)


class DisputeForm(forms.Form):
    number = forms.CharField(label="受理编号", max_length=20)
    reason = forms.CharField(
        label="异议理由（问题仍然存在的情况）",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        max_length=500,
    )


class ModerationForm(forms.Form):
    public_description = forms.CharField(label="公开描述（可删去个人信息）", widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label="审核意见", required=False, max_length=500)
    # The point the office sets on the map (or types) for a report without one; WGS-84.
    lng = forms.FloatField(label="经度", required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(label="纬度", required=False, min_value=-90, max_value=90)

    def clean(self):
        data = super().clean()
        if "lng" in self.errors or "lat" in self.errors:
            return data
        if (data.get("lng") is None) != (data.get("lat") is None):
            self.add_error("lat", "经度和纬度须同时填写")
        return data


class SurveyForm(forms.Form):
    title = forms.CharField(label="问卷标题", max_length=120)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ModelChoiceField(label="调查区域", queryset=Area.objects.none(), required=False)
    ask_area = forms.BooleanField(label="请受访者选择所在区域", required=False, initial=True)
    ask_phone = forms.BooleanField(label="要求填写手机号（每个号码只能答一次）", required=False)
    with_template = forms.BooleanField(label="使用群众满意度模板题目", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = survey_scope_areas()


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = forms.CharField(label="题目", max_length=300)
    options = forms.CharField(
        label="选项（每行一个，计为“是”/满意的选项末尾加 *）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label="必答", required=False, initial=True)
    indicator = forms.ChoiceField(
        label="计入指标", choices=[("", "不计入指标")] + list(Indicator.choices), required=False
    )
    indicator_name = forms.CharField(label="自定义指标名称", max_length=40, required=False)
    scale = forms.IntegerField(label="评分分制", min_value=2, max_value=10, initial=5)
    satisfied_from = forms.IntegerField(label="满意起评分", min_value=1, max_value=10, initial=4)


class QuotaForm(forms.Form):
    area = forms.ModelChoiceField(label="区域（区或街道）", queryset=Area.objects.none())
    households = forms.IntegerField(label="配额（户，0 为删除）", min_value=0, max_value=1_000_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = survey_scope_areas().filter(level__gte=2)


class AllocateForm(forms.Form):
    total = forms.IntegerField(label="总样本量（户）", min_value=1, max_value=1_000_000)
    areas = forms.ModelMultipleChoiceField(label="按人口分配到这些区域", queryset=Area.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = survey_scope_areas().filter(level__gte=2)


class UploadForm(forms.Form):
    file = forms.FileField(label="12345 工单文件（.xlsx 或 .csv）")


class MappingForm(forms.Form):
    """One select per platform field, choosing a column of the uploaded file."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "（不导入）")] + [(h, h) for h in headers if h]
        for name, spec in HOTLINE_FIELDS.items():
            self.fields[name] = forms.ChoiceField(label=spec["label"], choices=choices, required=spec["required"])


class ApiKeyForm(forms.Form):
    name = forms.CharField(label="使用方名称", max_length=100)


class RatingForm(forms.Form):
    number = forms.CharField(label="受理编号", max_length=20)
    level = forms.ChoiceField(label="您对办理结果的评价", choices=RatingLevel.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="评价理由（选择“不满意”时必填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )


class PraiseForm(forms.Form):
    unit = forms.ChoiceField(label="表扬单位", choices=())
    worker = forms.CharField(label="表扬人员（选填，姓名或工号）", required=False, max_length=50)
    message = forms.CharField(label="表扬内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    report_number = forms.CharField(label="相关受理编号（选填）", required=False, max_length=20)
    name = forms.CharField(label="您的称呼（选填）", required=False, max_length=50)
    website = forms.CharField(label="网站", required=False, widget=forms.HiddenInput)  # honeypot

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择")] + [(str(u.pk), u.name) for u in units]


class CallbackForm(forms.Form):
    outcome = forms.ChoiceField(label="回访结果", choices=CallbackOutcome.choices)
    note = forms.CharField(label="回访记录", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class PraiseHandleForm(forms.Form):
    status = forms.ChoiceField(label="处理", choices=[("forwarded", "转达单位"), ("dismissed", "不予采纳")])
