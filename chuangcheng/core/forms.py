from django import forms


class WorkdayOverrideForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.TypedChoiceField(
        label="当天", choices=((1, "上班（工作日）"), (0, "休息（非工作日）")), coerce=lambda v: str(v) == "1"
    )
    name = forms.CharField(label="说明", max_length=60, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx 或 .csv）")
