"""Forms of the meeting pages: call a meeting, record a decision (attendance is one row per invitee)."""

from django import forms

from chuangcheng.accounts.models import User
from chuangcheng.campaigns.forms import DATE
from chuangcheng.campaigns.meeting_models import DecisionOutcome, MeetingKind
from chuangcheng.campaigns.models import Plan
from chuangcheng.org.models import Unit


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    title = forms.CharField(label="会议名称", max_length=200)
    unit = forms.ModelChoiceField(label="召集单位", queryset=Unit.objects.none())
    held_at = forms.DateTimeField(label="会议时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label="地点", max_length=200, required=False)
    chair = forms.CharField(label="主持人", max_length=50, required=False)
    agenda = forms.CharField(label="议程", widget=forms.Textarea(attrs={"rows": 5}))
    units = forms.ModelMultipleChoiceField(label="参会单位", queryset=Unit.objects.none(), required=False)
    persons = forms.ModelMultipleChoiceField(label="参会人员", queryset=User.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).order_by("path")
        self.fields["unit"].queryset = units
        self.fields["units"].queryset = units
        self.fields["persons"].queryset = (
            User.objects.filter(is_active=True, memberships__isnull=False).distinct().order_by("full_name", "username")
        )


class DecisionForm(forms.Form):
    content = forms.CharField(label="议定事项", widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none(), required=False)
    deadline = forms.DateField(label="完成时限", widget=DATE, required=False)
    outcome = forms.ChoiceField(label="落实方式", choices=DecisionOutcome.choices, required=False)
    plan = forms.ModelChoiceField(
        label="工作方案", queryset=Plan.objects.none(), required=False, help_text="转为任务时选择"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
        self.fields["plan"].queryset = Plan.objects.visible_to(user).order_by("-year", "-id")
