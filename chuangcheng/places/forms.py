from django import forms

from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places.models import SiteCategory


class SiteForm(forms.Form):
    code = forms.CharField(label="点位编码", max_length=40)
    name = forms.CharField(label="点位名称", max_length=120)
    category = forms.ModelChoiceField(label="类别", queryset=SiteCategory.objects.order_by("sort_order", "code"))
    address = forms.CharField(label="地址", max_length=200, required=False)
    lng = forms.FloatField(label="经度", min_value=-180, max_value=180, help_text="WGS-84，如 117.123456")
    lat = forms.FloatField(label="纬度", min_value=-90, max_value=90, help_text="WGS-84，如 36.654321")
    unit = forms.ModelChoiceField(
        label="属地单位", queryset=Unit.objects.none(), required=False, help_text="留空则按所在网格自动确定"
    )
    department = forms.ModelChoiceField(label="行业主管部门", queryset=Unit.objects.none(), required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Unit.objects.visible_to(user).order_by("path")
        self.fields["unit"].queryset = visible.filter(
            kind__in=(UnitKind.CITY, UnitKind.DISTRICT, UnitKind.STREET, UnitKind.COMMUNITY)
        )
        self.fields["department"].queryset = visible.filter(kind__in=(UnitKind.DEPARTMENT, UnitKind.OFFICE))


class DivisionLoadForm(forms.Form):
    """The city or county whose official divisions to load; the selects of ``divisions.js`` fill ``code``."""

    code = forms.RegexField(
        label="行政区划代码",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": "请填写市或区县的 6 位行政区划代码，如 340600（淮北市）"},
        help_text="6 位代码：选择市则导入全市，选择区县则只导入该区县；可在上方逐级选择",
    )
