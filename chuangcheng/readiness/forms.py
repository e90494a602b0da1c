from django import forms

from chuangcheng.programs.fields import add_campaign_field
from chuangcheng.readiness.civil_inputs import DEFAULT_ROUNDS, MAX_ROUNDS
from chuangcheng.readiness.forecast import DEFAULT_PRIOR
from chuangcheng.readiness.inputs import BANDS, EXAMPLE_PASS_LINE
from chuangcheng.readiness.models import MinorsSource, WindowKind
from chuangcheng.readiness.selectors import forecast_standards, minors_runs


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

    observe_rounds = forms.IntegerField(
        label="观察计分：取最近几轮模拟测评",
        initial=DEFAULT_ROUNDS,
        required=False,
        min_value=1,
        max_value=MAX_ROUNDS,
        help_text="仅用于观察计分（分值×达标率）的标准，如全国文明城市测评体系、未成年人测评。",
    )
    weight_field = forms.FloatField(label="示例综合分权重：实地考察（%）", required=False, min_value=0, max_value=100)
    weight_survey = forms.FloatField(label="示例综合分权重：问卷调查（%）", required=False, min_value=0, max_value=100)
    weight_material = forms.FloatField(
        label="示例综合分权重：材料审核（%）",
        required=False,
        min_value=0,
        max_value=100,
        help_text="测评方法的权重在现有资料中没有找到：留空则各部分分别显示；三项都填（合计100%）才算示例综合分，标注“示例/待核实”。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        add_campaign_field(self, user)
        self.fields["campaign"].help_text = "按该活动最近的迎检窗口预测；留空：您可见的最近迎检窗口"
        standard = forms.ModelChoiceField(
            label="测评标准",
            required=False,
            queryset=forecast_standards(),
            help_text="留空：按迎检窗口类型取现行标准（卫生城市标准按暗访抽样扣分模拟；含观察计分测评标准的按分值×达标率预测）。",
        )
        self.fields = {"campaign": self.fields.pop("campaign"), "standard": standard, **self.fields}

    def clean_observe_rounds(self):
        return self.cleaned_data.get("observe_rounds") or DEFAULT_ROUNDS

    def weights(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(f"weight_{key}") for key in ("field", "survey", "material")}


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


class MinorsResultForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.ChoiceField(label="来源", choices=MinorsSource.choices)
    score = forms.DecimalField(
        label="得分（百分制）",
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text="来源为模拟测评且选择了预测时可留空，取该预测的期望得分率。",
    )
    threshold = forms.DecimalField(
        label="申报门槛（分）",
        initial=85,
        max_digits=6,
        decimal_places=2,
        help_text="资料：低于85分不能申报。可按上级最新要求修改。",
    )
    weight_percent = forms.DecimalField(
        label="计入总分权重（%）",
        initial=20,
        max_digits=6,
        decimal_places=2,
        help_text="资料：按20%计入总分；总分公式为推断（待核实），可修改。",
    )
    run = forms.ModelChoiceField(label="引用的模拟预测", required=False, queryset=None)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, campaign_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = minors_runs(user)
        if campaign_required:
            add_campaign_field(self, user)
            self.fields["campaign"].help_text = "须为全国文明城市等文明创建活动"
