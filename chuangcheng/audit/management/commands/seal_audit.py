"""``manage.py seal_audit``: append pending audit rows to the hash chain (cron in the embedded default).

Rows are normally sealed right after their transaction commits; this is the
safety net for rows whose after-commit sealing failed (crash, lost connection).
"""

from django.core.management.base import BaseCommand

from chuangcheng.audit.services import seal_pending


class Command(BaseCommand):
    help = "Seal committed pending audit rows into the hash chain."

    def handle(self, *args, **options):
        self.stdout.write(f"已封存 {seal_pending()} 条待封存审计记录")
