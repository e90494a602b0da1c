from django.core.management.base import BaseCommand, CommandError

from chuangcheng.audit.services import pending_count, seal_pending
from chuangcheng.audit.verification import run_verification


class Command(BaseCommand):
    help = (
        "Seal committed pending audit rows, then verify the audit hash chain (every row, gaps, the signed head, "
        "unsigned pending rows) and every registered chain; the run is stored for the /audit/ page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-seal", action="store_true", help="Do not seal pending rows first (they are then reported only)."
        )

    def handle(self, *args, **options):
        if not options["no_seal"]:
            sealed = seal_pending()
            if sealed:
                self.stdout.write(f"已先封存 {sealed} 条待封存审计记录")
        run = run_verification(actor="命令 verify_audit", seal=False)
        for problem in run.problems:
            self.stderr.write(problem)
        waiting = pending_count()
        if waiting:
            self.stdout.write(f"另有 {waiting} 条审计记录待封存（尚未入链，暂无法校验）")
        if not run.ok:
            raise CommandError(f"校验失败：{len(run.problems)} 处异常")
        self.stdout.write("校验通过：所有哈希链完整")
