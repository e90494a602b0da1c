"""Forms as office users read them: no developer fields, no ``---------``, no tri-state 未知, trees as trees.

Filter sets are shared by the API and the pages (STYLE.md 8), so some of their fields are for programs:
``?site=12`` filters by a 点位 id. On a page those id fields are carried as hidden inputs (a link such as
a site's "its cases" keeps working and the filter bar keeps the value) instead of asking a person for a
number. Yes/no filters read 全部/是/否 instead of Django's 未知/是/否; empty choices read 全部 in a filter
bar and 请选择/不选 in a form; selects over a tree model (one with ``path`` and ``depth``, the unit tree)
are ordered by path and indented by depth.
"""

from __future__ import annotations

from django import forms, template

register = template.Library()

DJANGO_EMPTY = "---------"
YES_NO_ALL = [("", "全部"), ("true", "是"), ("false", "否")]
INDENT = "\u3000"


def is_id_field(field: forms.Field) -> bool:
    """A number field asking for a database id (点位ID, 区域ID（含下级）…): for programs, not people."""
    return isinstance(field, forms.DecimalField | forms.IntegerField) and "ID" in str(field.label or "")


def tree_label(obj) -> str:
    return INDENT * max(getattr(obj, "depth", 0) or 0, 0) + str(obj.name if hasattr(obj, "name") else obj)


def _is_tree(queryset) -> bool:
    names = {f.name for f in queryset.model._meta.get_fields()}
    return {"path", "depth"} <= names


def _tidy_field(field: forms.Field, *, empty: str, in_filter: bool) -> None:
    if in_filter and is_id_field(field):
        field.widget = forms.HiddenInput()
        return
    if isinstance(field, forms.NullBooleanField):
        field.widget = forms.Select(choices=[("", empty), ("true", "是"), ("false", "否")])
        return
    if getattr(field, "empty_label", None) == DJANGO_EMPTY:  # model selects and django-filter choice fields
        field.empty_label = empty
        field.widget.choices = field.choices  # the widget may hold an iterator over an earlier copy of the field
    if isinstance(field, forms.ModelChoiceField) and _is_tree(field.queryset):
        field.queryset = field.queryset.order_by("path")
        field.label_from_instance = tree_label
    elif isinstance(field, forms.ChoiceField) and not hasattr(field, "empty_label"):
        choices = list(field.choices)
        if ("", DJANGO_EMPTY) in choices:
            field.choices = [
                (value, empty if (value, label) == ("", DJANGO_EMPTY) else label) for value, label in choices
            ]


def tidy_form(form: forms.BaseForm, *, in_filter: bool = False) -> forms.BaseForm:
    if form is None or getattr(form, "_tidied", False):
        return form
    for field in form.fields.values():
        required = getattr(field, "required", False)
        _tidy_field(field, empty="全部" if in_filter else ("请选择" if required else "不选"), in_filter=in_filter)
    form._tidied = True
    return form


@register.filter
def page_filter_form(filterset):
    """The filter set's form as a filter bar shows it."""
    return tidy_form(filterset.form, in_filter=True) if filterset is not None else None


@register.filter
def page_form(form):
    """A form as a page shows it (empty choices and yes/no selects in words, trees indented)."""
    return tidy_form(form)


@register.filter(name="tree_label")
def tree_label_filter(obj) -> str:
    """A unit (or any tree row) indented by its depth, for hand-written ``<option>`` lists."""
    return tree_label(obj)
