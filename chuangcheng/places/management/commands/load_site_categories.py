"""``manage.py load_site_categories``: the built-in site categories (idempotent)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from chuangcheng.places.services.categories import facts_path, load_site_categories


class Command(BaseCommand):
    help = "Load the built-in site categories (点位类别) from the shared facts; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--facts", type=Path, default=None, help="standards_data.json to read")

    def handle(self, *args, **options):
        path = options["facts"] or facts_path()
        facts = json.loads(path.read_text(encoding="utf-8"))
        created, updated = load_site_categories(actor=None, facts=facts)
        self.stdout.write(f"点位类别：新增 {created} 个，更新 {updated} 个（来源 {path}）")
