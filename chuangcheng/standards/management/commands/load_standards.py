from django.core.management.base import BaseCommand

from chuangcheng.standards import services


class Command(BaseCommand):
    help = "载入内置标准目录（国家卫生城市2021/2014、评审必备条件与样本量、文明城市、数字城管、12345），可重复执行"

    def handle(self, *args, **options):
        result = services.load_builtin_standards(actor=None)
        self.stdout.write(f"内置标准：新建 {result['created']} 个版本，关联点位类别 {result['linked']} 处")
