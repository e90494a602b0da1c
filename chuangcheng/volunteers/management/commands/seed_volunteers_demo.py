"""``manage.py seed_volunteers_demo``: demo volunteers, teams, activities and posts (演示; idempotent)."""

from django.core.management.base import BaseCommand

from chuangcheng.volunteers.demo import seed_volunteers_demo


class Command(BaseCommand):
    help = "Create the demo volunteers, teams, activities with sign-ins and posts (演示, idempotent, deterministic)."

    def handle(self, *args, **options):
        self.stdout.write(seed_volunteers_demo())
