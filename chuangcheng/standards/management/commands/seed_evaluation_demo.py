from django.core.management.base import BaseCommand

from chuangcheng.standards.demo_evaluation import ensure_demo_evaluation_standard, ensure_demo_minors_standard


class Command(BaseCommand):
    help = "载入示例测评手册（创文 CIV-DEMO、未成年人 MINORS-DEMO），经测评手册导入并发布，可重复执行"

    def handle(self, *args, **options):
        civilized = ensure_demo_evaluation_standard(actor=None)
        minors = ensure_demo_minors_standard(actor=None)
        for standard in (civilized, minors):
            self.stdout.write(f"示例测评手册：{standard}（{standard.get_status_display()}）")
