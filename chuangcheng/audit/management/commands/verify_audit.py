from django.core.management.base import BaseCommand, CommandError

from chuangcheng.audit.services import verify_audit_chain
from chuangcheng.core.chains import registered_chains


class Command(BaseCommand):
    help = "Recompute the audit hash chain (and every registered chain) and name any altered row."

    def handle(self, *args, **options):
        failures = 0
        bad = verify_audit_chain()
        for row_id in bad:
            self.stderr.write(f"审计日志第 {row_id} 条记录被篡改或链断裂")
        failures += len(bad)
        for name, verify in registered_chains():
            for row_id in verify():
                self.stderr.write(f"{name} 第 {row_id} 条记录被篡改或链断裂")
                failures += 1
        if failures:
            raise CommandError(f"校验失败：{failures} 条记录异常")
        self.stdout.write("校验通过：所有哈希链完整")
