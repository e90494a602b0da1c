"""The working-day calendar is the one table in core: every domain counts deadlines with it.

Weekends are rest days and weekdays working days unless a row here says
otherwise: official holidays that fall on weekdays and adjusted working
weekends (调休) are loaded from the State Council's calendar (the
``chinesecalendar`` package) by ``manage.py load_calendar``; the office adds
local overrides.
"""

from django.db import models


class WorkdaySource(models.TextChoices):
    OFFICIAL = "official", "国务院办公厅节假日安排"
    LOCAL = "local", "本地调整"


class WorkdayOverride(models.Model):
    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=60, blank=True)
    source = models.CharField("来源", max_length=10, choices=WorkdaySource.choices, default=WorkdaySource.LOCAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日历"
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_working_day else '休息'} {self.name}"
