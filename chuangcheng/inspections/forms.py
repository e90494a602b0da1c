import uuid

from django import forms

from chuangcheng.accounts.models import Membership, Role, User
from chuangcheng.inspections.models import PatrolKind, RoundKind
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, AreaLevel, SiteCategory
from chuangcheng.programs.fields import add_campaign_field
from chuangcheng.standards.models import Standard


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.Form):
    name = forms.CharField(label="轮次名称", max_length=120)
    kind = forms.ChoiceField(label="类型", choices=RoundKind.choices)
    standard = forms.ModelChoiceField(label="标准版本", queryset=Standard.objects.none(), required=False)
    unit = forms.ModelChoiceField(label="组织单位", queryset=Unit.objects.none())
    areas = forms.ModelMultipleChoiceField(
        label="检查范围（不选则为本级全部辖区）", queryset=Area.objects.none(), required=False
    )
    period_start = forms.DateField(label="开始日期", widget=DateInput)
    period_end = forms.DateField(label="结束日期", widget=DateInput)
    inspectors = forms.ModelMultipleChoiceField(label="督查员", queryset=User.objects.none(), required=False)
    is_secret = forms.BooleanField(label="保密（暗访：发布前对被检单位不可见）", required=False)
    population = forms.IntegerField(label="城市人口（决定最少样本量档次）", required=False, min_value=0)
    exclusion_days = forms.IntegerField(label="排除近多少天已检查的点位", initial=90, min_value=0)
    recheck_count = forms.IntegerField(label="复查抽查件数（近期办结的问题）", initial=0, min_value=0)
    recheck_days = forms.IntegerField(label="复查范围：近多少天办结", initial=30, min_value=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = Standard.objects.order_by("kind", "-id")
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
        areas = Area.objects.visible_to(user)
        self.fields["areas"].queryset = areas.filter(level__lte=AreaLevel.COMMUNITY).order_by("level", "code")
        memberships = Membership.objects.visible_to(user)
        roles = (Role.INSPECTOR, Role.GRID_WORKER, Role.OFFICE_STAFF)
        user_ids = memberships.filter(role__in=roles).values("user_id")
        self.fields["inspectors"].queryset = User.objects.order_by("username").filter(pk__in=user_ids)
        add_campaign_field(self, user)


class DrawForm(forms.Form):
    seed = forms.IntegerField(label="随机种子（留空自动生成）", required=False, min_value=0, max_value=2**62)


class PatrolForm(forms.Form):
    area = forms.ModelChoiceField(label="网格", queryset=Area.objects.none())
    kind = forms.ChoiceField(label="方式", choices=PatrolKind.choices, widget=forms.RadioSelect)
    category = forms.ModelChoiceField(label="点位类别", queryset=SiteCategory.objects.all(), required=False)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    photos_before = forms.ImageField(
        label="问题（处置前）照片",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    photos_after = forms.ImageField(
        label="处置后照片（自处理必填）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.visible_to(user).filter(level=AreaLevel.GRID).order_by("code")
