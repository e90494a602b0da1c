from django import forms

from chuangcheng.org.models import Unit, UnitKind


class UnitForm(forms.Form):
    code = forms.CharField(label="单位编码", max_length=40)
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    kind = forms.ChoiceField(label="类型", choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label="上级单位", queryset=Unit.objects.none(), required=False)
    sort_order = forms.IntegerField(label="排序", initial=0, required=False)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.visible_to(user).order_by("path")

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class UnitTreeChoiceField(forms.ModelChoiceField):
    """A unit select in tree order with each unit indented under its parent (give it a queryset ordered by
    ``path``), so that 265 units read as a tree rather than a flat list."""

    def label_from_instance(self, obj) -> str:
        return "\u3000" * max(obj.depth, 0) + obj.name


class UnitTreeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The several-units counterpart of ``UnitTreeChoiceField`` (配合单位 and the like)."""

    label_from_instance = UnitTreeChoiceField.label_from_instance
