from django import forms

from chuangcheng.org.forms import UnitTreeChoiceField
from chuangcheng.org.models import Unit
from chuangcheng.places.models import SiteCategory
from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    EvalMethod,
    Indicator,
    Judgement,
    MaterialRequirement,
    SamplingQuota,
    Standard,
    StandardKind,
    method_codes,
)
from chuangcheng.standards.services.tree import (
    CHECK_ITEM_FIELDS,
    CLAUSE_FIELDS,
    INDICATOR_FIELDS,
    MATERIAL_FIELDS,
    QUOTA_FIELDS,
)

NULL_HELP = "留空表示“待核实”"


class StandardForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=StandardKind.choices)
    code = forms.CharField(label="编码", max_length=60)
    name = forms.CharField(label="名称", max_length=200)
    version = forms.CharField(label="版本", max_length=40)
    effective_date = forms.DateField(label="施行日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    issued_by = forms.CharField(label="发布机关/文号", max_length=300, required=False)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label="来源", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    uncertain = forms.BooleanField(label="待核实", required=False)


class DraftForm(forms.Form):
    version = forms.CharField(label="新版本号", max_length=40, required=False, help_text="留空则自动命名")


class RowForm(forms.ModelForm):
    """A ModelForm used only for input shape; the service does the write."""

    def __init__(self, *args, standard: Standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        for name in ("clause", "parent"):
            if name in self.fields:
                self.fields[name].queryset = standard.clauses.order_by("sort_order", "id")
                self.fields[name].required = False

        for name, form_field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name) if name in self._meta.fields else None
            if model_field is not None and model_field.has_default() and not model_field.many_to_many:
                form_field.required = False

    def clean(self):
        cleaned = super().clean()
        for name in self._meta.fields:
            model_field = self._meta.model._meta.get_field(name)
            if cleaned.get(name) in (None, "") and model_field.has_default() and not model_field.null:
                current = getattr(self.instance, name) if self.instance.pk else None
                cleaned[name] = current if current not in (None, "") else model_field.get_default()
        return cleaned

    def _post_clean(self):
        """Skip model validation: uniqueness and immutability are the service's job."""


class MethodsMixin(forms.Form):
    """测评方法 as check boxes; stored as comma-separated codes."""

    methods = forms.MultipleChoiceField(
        label="测评方法", choices=EvalMethod.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["methods"] = method_codes(self.instance.methods)

    def clean_methods(self) -> str:
        return ",".join(self.cleaned_data.get("methods") or [])


class ClauseForm(MethodsMixin, RowForm):
    class Meta:
        model = Clause
        fields = CLAUSE_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "source": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"full_points": "测评项目/测评内容的分值；" + NULL_HELP}


class CheckItemForm(MethodsMixin, RowForm):
    site_categories = forms.ModelMultipleChoiceField(
        label="适用点位类别", queryset=SiteCategory.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = CheckItem
        fields = CHECK_ITEM_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "source": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "points": NULL_HELP,
            "cap_per_site": NULL_HELP,
            "deadline_days": NULL_HELP,
            "full_points": "观察计分/达标不达标的满分；" + NULL_HELP + "（测评时计为待核实）",
            "observations": "观察计分时每个测评点的观察次数；" + NULL_HELP,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("judgement") != Judgement.OBSERVE and cleaned.get("observations") is not None:
            self.add_error("observations", "只有“观察计分”的测评标准填写观察频次")
        return cleaned


class IndicatorForm(RowForm):
    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "source": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"threshold": NULL_HELP}


class MaterialRequirementForm(RowForm):
    class Meta:
        model = MaterialRequirement
        fields = MATERIAL_FIELDS
        help_texts = {"years": NULL_HELP}


class SamplingQuotaForm(RowForm):
    class Meta:
        model = SamplingQuota
        fields = QUOTA_FIELDS


ROW_FORMS = {
    "clause": ClauseForm,
    "item": CheckItemForm,
    "indicator": IndicatorForm,
    "material": MaterialRequirementForm,
    "quota": SamplingQuotaForm,
}


class ReportForm(forms.Form):
    unit = UnitTreeChoiceField(label="填报单位", queryset=Unit.objects.none())
    period = forms.CharField(label="期间", max_length=10)
    value = forms.DecimalField(label="数值", required=False, max_digits=14, decimal_places=4)
    value_text = forms.CharField(label="文字值/等级", max_length=60, required=False, help_text="等级指标填 A/B/C/D")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="佐证材料", required=False, help_text="图片、PDF、Word 或 Excel（按内容检查）")

    def __init__(self, *args, units, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        hints = {"year": "2025", "half": "2025-H1", "quarter": "2025-Q1", "month": "2025-03"}
        self.fields["period"].help_text = f"{indicator.get_period_kind_display()}，例如 {hints[indicator.period_kind]}"


class ImportForm(forms.Form):
    file = forms.FileField(label="评分表文件（.xlsx/.csv）")


class ManualImportForm(forms.Form):
    file = forms.FileField(label="测评操作手册（.xlsx/.csv）", required=False)


class JudgeForm(forms.Form):
    verdict = forms.ChoiceField(
        label="判定结果", choices=[("pass", "达标"), ("fail", "未达标")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="判定依据", max_length=280, widget=forms.Textarea(attrs={"rows": 3}), help_text="写明依据的材料或核查情况"
    )
