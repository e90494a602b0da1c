"""Page forms; valid data goes to the services unchanged."""

from django import forms

from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area
from chuangcheng.volunteers.models import ActivityKind, PostKind, Volunteer, VolunteerStatus

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})


def _units(user):
    return Unit.objects.visible_to(user).filter(is_active=True).order_by("path")


class VolunteerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20)
    id_number = forms.CharField(
        label="身份证号", max_length=20, help_text="仅保存脱敏号码和校验值，用于查重；完整号码不保存"
    )
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none())
    area = forms.ModelChoiceField(label="所在社区", queryset=Area.objects.none(), required=False)
    skills = forms.CharField(label="技能特长", max_length=200, required=False, help_text="多项用顿号分隔")
    joined_on = forms.DateField(label="注册日期", widget=DATE, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["area"].queryset = Area.objects.visible_to(user).filter(level__gte=3).order_by("code")


class VolunteerUpdateForm(VolunteerForm):
    status = forms.ChoiceField(label="状态", choices=VolunteerStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = False
        self.fields["id_number"].help_text = "不修改请留空；仅保存脱敏号码和校验值"


class TeamForm(forms.Form):
    name = forms.CharField(label="队伍名称", max_length=100)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none())
    members = forms.ModelMultipleChoiceField(label="队员", queryset=Volunteer.objects.none(), required=False)
    leader = forms.ModelChoiceField(label="队长", queryset=Volunteer.objects.none(), required=False)
    note = forms.CharField(label="简介", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        volunteers = Volunteer.objects.visible_to(user).order_by("name", "id")
        self.fields["members"].queryset = volunteers
        self.fields["leader"].queryset = volunteers


class TeamMembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(label="队员", queryset=Volunteer.objects.none(), required=False)
    leader = forms.ModelChoiceField(label="队长", queryset=Volunteer.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        volunteers = Volunteer.objects.visible_to(user).order_by("name", "id")
        self.fields["members"].queryset = volunteers
        self.fields["leader"].queryset = volunteers


class ActivityForm(forms.Form):
    title = forms.CharField(label="活动名称", max_length=200)
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    unit = forms.ModelChoiceField(label="组织单位", queryset=Unit.objects.none())
    place = forms.CharField(label="地点", max_length=200, required=False)
    area = forms.ModelChoiceField(label="区域", queryset=Area.objects.none(), required=False)
    starts_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ends_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    planned_headcount = forms.IntegerField(label="计划人数", min_value=1, required=False, help_text="不填为不限")
    hours_cap = forms.DecimalField(
        label="单人时长上限（小时）", max_digits=4, decimal_places=1, required=False, help_text="不填为活动时长"
    )
    description = forms.CharField(label="活动内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["area"].queryset = Area.objects.visible_to(user).filter(level__lte=4).order_by("code")


class CorrectionForm(forms.Form):
    participation = forms.IntegerField(widget=forms.HiddenInput)
    hours = forms.DecimalField(label="核定时长（小时）", max_digits=5, decimal_places=1, min_value=0)
    reason = forms.CharField(label="核定理由", max_length=300)


class CancelForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=300)


class SelfCheckForm(forms.Form):
    code = forms.CharField(label="签到码", max_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    phone = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    id_last4 = forms.CharField(label="身份证号后四位", min_length=4, max_length=4)


class PostForm(forms.Form):
    name = forms.CharField(label="岗位名称", max_length=100)
    kind = forms.ChoiceField(label="岗位类型", choices=PostKind.choices)
    unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())
    location = forms.CharField(label="路口/位置", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)


class ShiftForm(forms.Form):
    weekdays = forms.CharField(label="上岗日", max_length=7, initial="12345", help_text="1为周一…7为周日，如 12345")
    start_time = forms.TimeField(label="开始时间", widget=TIME)
    end_time = forms.TimeField(label="结束时间", widget=TIME)
    headcount = forms.IntegerField(label="每班人数", min_value=1, initial=2)


class StaffForm(forms.Form):
    shift = forms.IntegerField(widget=forms.HiddenInput)
    volunteers = forms.ModelMultipleChoiceField(label="上岗志愿者", queryset=Volunteer.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = Volunteer.objects.visible_to(user).filter(status="active").order_by("name")
