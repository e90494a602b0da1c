from django.core.management.base import BaseCommand, CommandError

from chuangcheng.audit.services import pending_count, seal_pending, verify_audit_chain
from chuangcheng.core.chains import registered_chains


class Command(BaseCommand):
    help = (
        "Seal committed pending audit rows, then recompute the audit hash chain (and every registered chain) "
        "and name any altered row."
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
        failures = 0
        bad = verify_audit_chain()
        for row_id in bad:
            self.stderr.write(f"审计日志第 {row_id} 条记录被篡改或链断裂")
        failures += len(bad)
        for name, verify in registered_chains():
            for row_id in verify():
                self.stderr.write(f"{name} 第 {row_id} 条记录被篡改或链断裂")
                failures += 1
        waiting = pending_count()
        if waiting:
            self.stdout.write(f"另有 {waiting} 条审计记录待封存（尚未入链，暂无法校验）")
        if failures:
            raise CommandError(f"校验失败：{failures} 条记录异常")
        self.stdout.write("校验通过：所有哈希链完整")
