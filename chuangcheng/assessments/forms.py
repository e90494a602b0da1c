"""Page forms. They shape input only; services do every write (no form is ever saved)."""

from django import forms

from chuangcheng.assessments.models import (
    AccountabilityRecord,
    Commendation,
    Decision,
    PeerGroup,
    Period,
    Rule,
    Scheme,
    SchemeStatus,
)
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.programs.fields import add_campaign_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = (
            "code",
            "name",
            "description",
            "base_score",
            "normalisation",
            "max_deduction",
            "max_bonus",
            "min_score",
            "red_count",
            "black_count",
            "grade_bands",
            "sign_limit_days",
            "is_sample",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "grade_bands": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "grade_bands": "留空使用默认：A≥90、B≥75、C≥60、D≥40（来源：数字城管评价等级）",
            "sign_limit_days": "示例值：事实资料未给出签收时限",
        }

    def validate_unique(self):
        """Code uniqueness is the service's job (it explains versions)."""

    def __init__(self, *args, editing=False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade_bands"].required = False
        if editing:
            del self.fields["code"]
        elif user is not None:
            add_campaign_field(self, user)
            self.fields["campaign"].help_text = "考核办法及其考核周期归属的创建活动；参评单位须在活动的辖区内"

    def clean_grade_bands(self):
        return self.cleaned_data.get("grade_bands") or {}


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ("kind", "label", "points", "severity", "source", "cap", "params", "sort_order", "is_sample", "note")
        widgets = {"params": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "points": "填正数：扣分类规则按扣分计，表彰按加分计",
            "params": (
                '按类型填写 JSON：督查发现按检查项分值 {"item_points": true}，归属 {"attribute_to": "department"}；'
                '负面清单来源 {"from": "both"}；'
                '指标等级 {"indicator": "ontime_closure_rate", "grade_points": {"A": 1, "E": -2}}；'
                '扣罚经费 {"per_point": 1000} 或 {"below_score": 80, "amount": 20000}；'
                '取消评优 {"black_list": true} 或 {"below_score": 60} 或 {"negative_list": true}'
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["params"].required = False

    def clean_params(self):
        return self.cleaned_data.get("params") or {}


class PeerGroupForm(forms.ModelForm):
    unit_kinds = forms.MultipleChoiceField(
        label="单位类型", choices=UnitKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PeerGroup
        fields = ("name", "unit_kinds", "units", "sort_order")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.visible_to(user).filter(is_active=True).order_by("path")
        self.fields["units"].required = False

    def validate_unique(self):
        """The service checks names within the scheme."""


class PeriodForm(forms.ModelForm):
    category_codes = forms.CharField(
        label="专项点位类别编码", required=False, help_text="月度专项考核可只计某些点位类别的问题，多个以逗号分隔"
    )

    class Meta:
        model = Period
        fields = (
            "scheme",
            "kind",
            "name",
            "start",
            "end",
            "topic",
            "category_codes",
            "issuer",
            "doc_number",
            "bulletin_title",
            "addressees",
            "bulletin_body",
            "signer",
            "sign_date",
        )
        widgets = {"start": DATE, "end": DATE, "sign_date": DATE, "bulletin_body": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"doc_number": "如：示创办〔2026〕12号", "bulletin_body": "通报“工作要求”部分，留空使用默认文字"}

    def __init__(self, *args, user, editing=False, **kwargs):
        initial = kwargs.get("initial") or {}
        if isinstance(initial.get("category_codes"), list):
            initial["category_codes"] = ",".join(initial["category_codes"])
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.visible_to(user).filter(status=SchemeStatus.PUBLISHED)
        self.fields["name"].required = False
        if editing:
            del self.fields["scheme"]

    def clean_category_codes(self):
        raw = self.cleaned_data.get("category_codes") or ""
        return [code.strip() for code in raw.replace("，", ",").split(",") if code.strip()]


class OutcomeForm(forms.ModelForm):
    document = forms.FileField(label="文件（PDF、Word 或图片）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(is_active=True).order_by("path")
        if "period" in self.fields:
            self.fields["period"].required = False


class DecisionForm(OutcomeForm):
    class Meta:
        model = Decision
        fields = ("unit", "period", "kind", "title", "doc_number", "decided_on", "content", "amount")
        widgets = {"decided_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}


class AccountabilityForm(OutcomeForm):
    class Meta:
        model = AccountabilityRecord
        fields = ("unit", "period", "kind", "person_name", "position", "reason", "occurred_on", "decision")
        widgets = {"occurred_on": DATE, "reason": forms.Textarea(attrs={"rows": 3})}


class CommendationForm(OutcomeForm):
    class Meta:
        model = Commendation
        fields = ("unit", "period", "title", "person_name", "position", "reason", "awarded_on", "decision")
        widgets = {"awarded_on": DATE, "reason": forms.Textarea(attrs={"rows": 3})}
