from django import forms
from django.utils import timezone

from chuangcheng.dossiers import selectors
from chuangcheng.dossiers.models import MaterialAssignment, ReviewDecision
from chuangcheng.org.models import Unit
from chuangcheng.programs.fields import add_campaign_field
from chuangcheng.standards.models import MaterialRequirement


def this_year() -> int:
    return timezone.localdate().year


class RequirementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        clause = f"{obj.clause.number} " if obj.clause_id else ""
        span = f"（近{obj.years}年）" if obj.years else ""
        return f"{clause}{obj.title}{span}"


class UploadForm(forms.Form):
    requirement = RequirementChoiceField(label="资料要求", queryset=MaterialRequirement.objects.none())
    unit = forms.ModelChoiceField(label="报送单位", queryset=Unit.objects.none())
    year = forms.IntegerField(label="年度", initial=this_year, min_value=2000, max_value=2100)
    title = forms.CharField(label="资料标题", max_length=200, required=False, help_text="不填则使用文件名")
    file = forms.FileField(label="文件（PDF、Word、Excel、图片；按文件内容校验）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = MaterialAssignment.objects.visible_to(user)
        self.fields["requirement"].queryset = selectors.requirements_assigned(assigned)
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user).filter(pk__in=assigned.values("unit")).order_by("path")
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="结论", choices=ReviewDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="意见（退回时必填）", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ResubmitForm(forms.Form):
    file = forms.FileField(label="重新提交的文件")
    title = forms.CharField(label="资料标题", max_length=200, required=False)


class AssignForm(forms.Form):
    requirement = forms.ModelChoiceField(label="资料要求", queryset=MaterialRequirement.objects.none())
    units = forms.ModelMultipleChoiceField(
        label="责任单位", queryset=Unit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 12})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = MaterialRequirement.objects.select_related("standard").order_by(
            "standard_id", "sort_order", "id"
        )
        self.fields["units"].queryset = Unit.objects.visible_to(user).order_by("path")
        add_campaign_field(self, user)


class MatrixForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
