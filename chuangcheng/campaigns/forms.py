from django import forms
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.campaigns import selectors
from chuangcheng.campaigns.models import Milestone, PlanStatus
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, Site
from chuangcheng.programs.fields import add_campaign_field

DATE = forms.DateInput(attrs={"type": "date"})


def this_year() -> int:
    return timezone.localdate().year


class PlanForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=200)
    year = forms.IntegerField(label="年度", initial=this_year, min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label="制定单位", queryset=Unit.objects.none())
    target_date = forms.DateField(
        label="迎检窗口日期",
        required=False,
        widget=DATE,
        help_text="填写后，按“提前工作日数”倒排各节点与任务时限（跳过节假日）",
    )
    status = forms.ChoiceField(label="状态", choices=PlanStatus.choices, initial=PlanStatus.ACTIVE)
    description = forms.CharField(label="方案内容", widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
        add_campaign_field(self, user)


class ScheduleForm(forms.Form):
    target_date = forms.DateField(label="迎检窗口日期", widget=DATE)


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点名称", max_length=200)
    offset_days = forms.IntegerField(
        label="迎检前工作日数", min_value=0, required=False, help_text="例如 20：迎检窗口前第20个工作日"
    )
    due_date = forms.DateField(label="节点日期", required=False, widget=DATE, help_text="不按倒排时直接填写")
    sort_order = forms.IntegerField(label="排序", initial=0, required=False)

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class MilestoneStateForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=(("complete", "标记完成"), ("reopen", "重新打开")))
    done_at = forms.DateField(label="完成日期", required=False, widget=DATE)
    reason = forms.CharField(label="原因", max_length=500, required=False)


class TaskForm(forms.Form):
    number = forms.CharField(label="编号", max_length=30, required=False)
    title = forms.CharField(label="任务", max_length=300)
    description = forms.CharField(label="工作要求", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.none())
    cooperating_units = forms.ModelMultipleChoiceField(
        label="配合单位", queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    responsible = forms.ModelChoiceField(label="责任人（系统用户）", queryset=User.objects.none(), required=False)
    responsible_name = forms.CharField(label="责任人姓名", max_length=50, required=False)
    milestone = forms.ModelChoiceField(label="所属节点", queryset=Milestone.objects.none(), required=False)
    offset_days = forms.IntegerField(
        label="迎检前工作日数", min_value=0, required=False, help_text="填写后按迎检窗口倒排完成时限"
    )
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)
    weight = forms.DecimalField(label="权重", initial=1, min_value=0, max_digits=6, decimal_places=2)

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).order_by("path")
        self.fields["lead_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units
        self.fields["responsible"].queryset = selectors.active_users()
        self.fields["milestone"].queryset = plan.milestones.all()


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label="佐证材料（PDF、Word、Excel、图片）", required=False)


class LetterForm(forms.Form):
    unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())
    year = forms.IntegerField(label="年度", initial=this_year, min_value=2000, max_value=2100)
    title = forms.CharField(label="标题", max_length=200, required=False)
    targets = forms.CharField(label="目标任务（每行一条）", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    signatory = forms.CharField(label="签订人", max_length=100, required=False)
    signed_on = forms.DateField(label="签订日期", required=False, widget=DATE)
    scan = forms.FileField(label="签字盖章扫描件（PDF或图片）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")


class ScanForm(forms.Form):
    scan = forms.FileField(label="签字盖章扫描件（PDF或图片）")
    signed_on = forms.DateField(label="签订日期", required=False, widget=DATE)


class LeaderAssignmentForm(forms.Form):
    leader = forms.ModelChoiceField(label="包抓领导", queryset=User.objects.none())
    area = forms.ModelChoiceField(label="包抓区域", queryset=Area.objects.none(), required=False)
    unit = forms.ModelChoiceField(label="包抓单位", queryset=Unit.objects.none(), required=False)
    duty = forms.CharField(label="职责", max_length=200, required=False)
    start_date = forms.DateField(label="开始日期", required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = selectors.leader_users()
        self.fields["area"].queryset = Area.objects.visible_to(user).filter(level__lte=4).order_by("level", "code")
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")


class PledgeForm(forms.Form):
    site = forms.ModelChoiceField(label="点位", queryset=Site.objects.none())
    party = forms.CharField(label="责任人（商户）", max_length=120)
    contact = forms.CharField(label="联系人", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    year = forms.IntegerField(label="年度", initial=this_year, min_value=2000, max_value=2100)
    signed_on = forms.DateField(label="签订日期", widget=DATE, initial=timezone.localdate)
    scan = forms.FileField(label="责任书扫描件（PDF或图片）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user).filter(is_active=True).order_by("code")
