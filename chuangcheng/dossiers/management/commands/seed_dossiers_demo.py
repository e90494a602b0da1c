"""``manage.py seed_dossiers_demo``: the demo archive (示例) of 示范市 (idempotent)."""

from django.core.management.base import BaseCommand

from chuangcheng.dossiers.demo import seed_dossiers_demo
from chuangcheng.dossiers.demo_evaluation import seed_evaluation_dossiers_demo


class Command(BaseCommand):
    help = "Assign the shipped material requirements to demo units and upload demo files in mixed review states."

    def handle(self, *args, **options):
        self.stdout.write(seed_dossiers_demo())
        self.stdout.write(seed_evaluation_dossiers_demo())
