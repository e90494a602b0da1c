"""Periodic framework work: the monthly partitions of the large tables (PostgreSQL)."""

from celery import shared_task

from chuangcheng.core.partitions import ensure_partitions


@shared_task(name="core.ensure_partitions")
def ensure_partitions_task() -> int:
    return len(ensure_partitions())
