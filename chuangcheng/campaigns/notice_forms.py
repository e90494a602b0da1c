"""Forms of the 抄告单 pages: issue (office), reply (unit), close (office)."""

from django import forms
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.cases.models import Case
from chuangcheng.org.models import Unit

ISO_DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class NoticeForm(forms.Form):
    unit = forms.ModelChoiceField(label="主送单位", queryset=Unit.objects.none())
    principal = forms.ModelChoiceField(
        label="单位主要负责人（账号）", queryset=User.objects.none(), required=False, help_text="有账号时选择"
    )
    principal_name = forms.CharField(label="负责人姓名", max_length=50, required=False, help_text="无账号时填写")
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="抄告内容", widget=forms.Textarea(attrs={"rows": 6}))
    case_numbers = forms.CharField(
        label="涉及问题编号", required=False, help_text="每行或用逗号分隔一个问题编号，如 WT2026-000123"
    )
    warning_date = forms.DateField(label="预警日期", widget=ISO_DATE, initial=timezone.localdate)
    reply_due = forms.DateField(label="要求回复日期", widget=ISO_DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
        self.fields["principal"].queryset = User.objects.filter(is_active=True).order_by("full_name", "username")

    def clean_case_numbers(self):
        raw = self.cleaned_data.get("case_numbers") or ""
        numbers = [part.strip() for part in raw.replace("，", ",").replace("\n", ",").split(",") if part.strip()]
        found = {c.number: c for c in Case.objects.visible_to(self.user).filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"找不到问题：{'、'.join(missing)}")
        return [found[n] for n in dict.fromkeys(numbers)]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["cases"] = data.pop("case_numbers")
        return data


class NoticeReplyForm(forms.Form):
    text = forms.CharField(label="回复内容（整改落实情况）", widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label="附件（PDF、Word 或图片）", required=False)


class NoticeCloseForm(forms.Form):
    note = forms.CharField(label="办结意见", max_length=500, required=False)
