"""Periodic work for the archive: thin wrappers."""

from celery import shared_task
from django.db import transaction

from chuangcheng.dossiers.completeness import rebuild_completeness


@shared_task(name="dossiers.rebuild_completeness")
def rebuild_completeness_task() -> None:
    with transaction.atomic():
        rebuild_completeness()
