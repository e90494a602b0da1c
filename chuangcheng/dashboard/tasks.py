from celery import shared_task

from chuangcheng.dashboard import services


@shared_task(name="dashboard.refresh")
def refresh_dashboard() -> dict:
    """Periodic: rebuild snapshots and the recent days' flows (idempotent)."""
    return services.refresh_dashboard()
