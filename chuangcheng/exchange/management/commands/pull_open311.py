"""``manage.py pull_open311 [--code CODE]``: pull requests from the configured Open311 servers now."""

from django.core.management.base import BaseCommand, CommandError

from chuangcheng.exchange.models import Endpoint, EndpointKind
from chuangcheng.exchange.services import open311


class Command(BaseCommand):
    help = "Pull requests from every due Open311 endpoint (or the one named, whether due or not); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--code", default=None, help="only this endpoint, pulled now")

    def handle(self, *args, **options):
        if options["code"]:
            endpoint = Endpoint.objects.filter(code=options["code"], kind=EndpointKind.OPEN311).first()
            if endpoint is None:
                raise CommandError(f"没有编码为 {options['code']} 的 Open311 对接系统")
            results = {endpoint.code: open311.pull_endpoint(endpoint=endpoint)}
        else:
            results = open311.pull_due()
        for code, result in results.items():
            self.stdout.write(
                f"{code}：读取 {result.pages} 页 {result.seen} 条，新建案件 {result.created} 件，"
                f"状态变化 {result.updated} 条，错误 {len(result.errors)} 条"
            )
            for error in result.errors[:20]:
                self.stdout.write(f"  {error}")
