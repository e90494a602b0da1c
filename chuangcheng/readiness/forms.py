from django import forms

from chuangcheng.programs.fields import add_campaign_field
from chuangcheng.readiness.forecast import DEFAULT_PRIOR
from chuangcheng.readiness.inputs import BANDS, EXAMPLE_PASS_LINE
from chuangcheng.readiness.models import WindowKind


class ForecastForm(forms.Form):
    pass_line = forms.FloatField(
        label="及格线（分）",
        initial=EXAMPLE_PASS_LINE,
        min_value=0,
        help_text="国家层面的分值型及格线在现有资料中未找到；默认 90 分为示例值，请按本地掌握的标准填写。",
    )
    full_score = forms.FloatField(label="满分", initial=100, min_value=1)
    unknown_points = forms.FloatField(
        label="待核实分值按（分）估算",
        required=False,
        min_value=0,
        help_text="留空：分值待核实的检查项不计扣分，只统计问题数；填写：按该示例分值估算，结果标注“示例”。",
    )
    band = forms.ChoiceField(
        label="城市人口档次（决定最少样本量）",
        required=False,
        choices=[("", "按城市人口自动判断")] + list(BANDS.items()),
    )
    runs = forms.IntegerField(label="模拟次数", initial=10_000, min_value=100, max_value=100_000)
    seed = forms.IntegerField(label="随机种子", required=False, min_value=0, help_text="留空则随机生成并保存")
    prior_alpha = forms.FloatField(label="先验 α", initial=DEFAULT_PRIOR[0], min_value=0)
    prior_beta = forms.FloatField(label="先验 β", initial=DEFAULT_PRIOR[1], min_value=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        add_campaign_field(self, user)
        self.fields["campaign"].help_text = "按该活动最近的迎检窗口预测；留空：您可见的最近迎检窗口"


class WhatIfForm(forms.Form):
    case_ids = forms.TypedMultipleChoiceField(label="假设整改完成的问题", coerce=int, choices=())

    def __init__(self, *args, case_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_ids"].choices = list(case_choices)


class WindowForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=WindowKind.choices)
    title = forms.CharField(label="名称", max_length=120, required=False)
    earliest = forms.DateField(label="最早预计日期", widget=forms.DateInput(attrs={"type": "date"}))
    latest = forms.DateField(label="最晚预计日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label="有效", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        add_campaign_field(self, user)
        self.fields["campaign"].help_text = "同一创建活动的有效迎检窗口不能重叠"
