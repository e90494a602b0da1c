"""``manage.py deliver_exchanges [--limit N]``: send due outbound exchange messages now."""

from django.core.management.base import BaseCommand

from chuangcheng.exchange.services import outbox, triggers


class Command(BaseCommand):
    help = "Queue pushes matched by endpoint rules, then send every due outbound message; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="send at most this many this run")

    def handle(self, *args, **options):
        queued = triggers.enqueue_matching_cases()
        run = outbox.deliver_due(limit=options["limit"])
        self.stdout.write(f"新排队 {queued} 条；已送达 {run.sent} 条，待重试 {run.retrying} 条，失败 {run.failed} 条")
        for key, error in run.errors[:20]:
            self.stdout.write(f"  {key}：{error}")
