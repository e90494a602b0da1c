"""Load the official holiday arrangement (holidays and adjusted working days) into the calendar table."""

import chinese_calendar
from django.core.management.base import BaseCommand

from chuangcheng.core.services import load_official_calendar

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class Command(BaseCommand):
    help = "Load official holidays and adjusted working days from the chinesecalendar package (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--from-year", type=int, default=2020)

    def handle(self, *args, **options):
        first = options["from_year"]
        holidays = {
            day: HOLIDAY_NAMES.get(str(name), str(name))
            for day, name in chinese_calendar.holidays.items()
            if day.year >= first
        }
        workdays = {
            day: HOLIDAY_NAMES.get(str(name), str(name)) + "调休上班"
            for day, name in chinese_calendar.workdays.items()
            if day.year >= first
        }
        added = load_official_calendar(holidays=holidays, workdays=workdays)
        last = max(day.year for day in chinese_calendar.holidays)
        self.stdout.write(f"工作日历：新增 {added} 条官方调整（{first}–{last} 年）")
