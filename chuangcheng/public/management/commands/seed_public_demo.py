from django.core.management.base import BaseCommand

from chuangcheng.public.demo import seed_public_demo


class Command(BaseCommand):
    help = "Demo survey, responses and citizen reports (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(seed_public_demo())
