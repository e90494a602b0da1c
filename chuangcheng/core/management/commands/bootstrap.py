"""First-run set-up for `make run`: load built-in data and the demo city when the database is empty.

Each step is an idempotent management command owned by its app; this command
only orders them and prints how to log in.
"""

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from chuangcheng.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from chuangcheng.accounts.models import User

# (command, description) in dependency order.
STEPS = (
    ("load_site_categories", "内置点位类别"),
    ("load_standards", "内置标准体系"),
    ("seed_evaluation_demo", "示例测评手册（创文、未成年人）"),
    ("load_calendar", "法定节假日与调休日历"),
    ("seed_demo", "示范市演示数据"),
    ("seed_programs_demo", "各级创建活动（演示）"),
    ("seed_demo_activity", "示范市近两个月的问题与整改（演示）"),
    ("seed_public_demo", "市民参与演示数据"),
    ("seed_inspections_demo", "督查轮次演示数据"),
    ("seed_assessments_demo", "示例考核办法与演示考核周期"),
    ("seed_readiness_demo", "演示迎检窗口与迎检预测"),
    ("seed_dossiers_demo", "示例档案资料与审核"),
    ("seed_campaigns_demo", "示例迎检工作方案、责任书、包抓与门前三包"),
    ("seed_civility_demo", "文明单位、窗口行业与宣传点位（演示）"),
    ("seed_volunteers_demo", "志愿者、志愿服务活动与文明岗位（演示）"),
    ("seed_programs_demo", "演示数据归属到创建活动"),
    ("refresh_dashboard", "指挥中心汇总数据"),
)
DEMO_STEPS = {
    "seed_evaluation_demo",
    "seed_demo",
    "seed_programs_demo",
    "seed_demo_activity",
    "seed_public_demo",
    "seed_inspections_demo",
    "seed_assessments_demo",
    "seed_readiness_demo",
    "seed_dossiers_demo",
    "seed_campaigns_demo",
    "seed_civility_demo",
    "seed_volunteers_demo",
}


class Command(BaseCommand):
    help = "Load built-in catalogs and, on an empty database, the demo city; print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Load built-in catalogs only.")

    def handle(self, *args, **options):
        available = get_commands()
        for command, label in STEPS:
            if options["no_demo"] and command in DEMO_STEPS:
                continue
            if command not in available:
                self.stderr.write(f"跳过 {label}：命令 {command} 尚未提供")
                continue
            self.stdout.write(f"加载{label}…")
            call_command(command)
        self.print_logins()

    def print_logins(self):
        if not User.objects.filter(username=DEMO_USERS[0][0]).exists():
            return
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, role_label, unit_label in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {full_name}（{unit_label} · {role_label}）")
