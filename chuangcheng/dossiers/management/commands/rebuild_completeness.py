import time

from django.core.management.base import BaseCommand
from django.db import transaction

from chuangcheng.dossiers.completeness import rebuild_completeness
from chuangcheng.dossiers.models import CompletenessProgress


class Command(BaseCommand):
    help = "Recompute the archive completeness summary tables from assignments and materials."

    def handle(self, *args, **options):
        start = time.perf_counter()
        with transaction.atomic():
            rebuild_completeness()
        cells = CompletenessProgress.objects.count()
        self.stdout.write(f"资料完整度汇总已重建：{cells} 个单元格，用时 {time.perf_counter() - start:.1f} 秒")
