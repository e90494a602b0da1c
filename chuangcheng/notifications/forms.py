from django import forms

from chuangcheng.notifications.models import MessageFormat, NotificationKind, WebhookKind
from chuangcheng.org.forms import UnitTreeChoiceField


class WebhookForm(forms.Form):
    unit = UnitTreeChoiceField(label="单位", queryset=None)
    name = forms.CharField(label="名称", max_length=100, help_text="如：城管局整改群")
    kind = forms.ChoiceField(label="类型", choices=WebhookKind.choices)
    url = forms.CharField(
        label="Webhook 地址",
        max_length=500,
        required=False,
        help_text="钉钉：群设置 → 机器人 → 自定义机器人的完整 Webhook（含 access_token）；"
        "企业微信：群机器人的完整 Webhook（含 key，企业微信机器人没有加签，key 即凭据，请勿外传）。"
        "修改时留空表示不变。",
    )
    secret = forms.CharField(
        label="加签密钥（钉钉）",
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="钉钉机器人安全设置选“加签”时的 SEC 开头密钥；保存后不再显示，修改时留空表示不变。",
    )
    msg_format = forms.ChoiceField(label="消息格式", choices=MessageFormat.choices)
    kinds = forms.MultipleChoiceField(
        label="通知类型",
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示全部类型",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, units, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.editing = editing
        if editing:
            del self.fields["unit"]

    def clean_url(self):
        url = (self.cleaned_data.get("url") or "").strip()
        if not url and not self.editing:
            raise forms.ValidationError("请填写 Webhook 地址")
        return url


class PolicyForm(forms.Form):
    reminder_hours = forms.IntegerField(label="提醒间隔（小时）", min_value=1, max_value=168)
    max_reminders = forms.IntegerField(label="最多提醒次数", min_value=0, max_value=100)
    quiet_start = forms.TimeField(label="夜间免打扰开始", help_text="如 22:00")
    quiet_end = forms.TimeField(label="夜间免打扰结束", help_text="如 07:30；免打扰期间到期的提醒顺延到结束时发出")
    urgent_in_quiet = forms.BooleanField(label="紧急提醒不受免打扰限制", required=False)
    ack_kinds = forms.MultipleChoiceField(
        label="须确认收到的通知类型",
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="这些通知会每隔上述小时数重复提醒（短信/邮件），直到本人点击“确认收到”",
    )


class SmsTestForm(forms.Form):
    phone = forms.CharField(label="手机号", max_length=20)
