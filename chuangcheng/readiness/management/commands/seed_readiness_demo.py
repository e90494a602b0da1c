"""``manage.py seed_readiness_demo``: two demo inspection windows and a stored forecast (idempotent)."""

from django.core.management.base import BaseCommand

from chuangcheng.readiness.demo import seed_demo_readiness


class Command(BaseCommand):
    help = "Create the demo inspection windows and run one forecast with a fixed seed; a second run changes nothing."

    def handle(self, *args, **options):
        windows, run = seed_demo_readiness()
        if not windows:
            self.stdout.write("迎检演示：缺少演示账号，未创建")
            return
        summary = ""
        if run is not None:
            coverage = run.coverage
            summary = (
                f"，预测通过概率 {run.p_pass:.0%}（{coverage.label}）"
                if coverage.sufficient
                else f"，{coverage.label}，覆盖不足，通过概率仅供参考（模拟值 {run.p_pass:.0%}）"
            )
        self.stdout.write(f"迎检演示：{len(windows)} 个迎检窗口{summary}")
