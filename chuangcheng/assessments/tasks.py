"""Background jobs: thin wrappers that pass ids to one service."""

from celery import shared_task

from chuangcheng.assessments import services


@shared_task(name="assessments.compute_period")
def compute_period_task(period_id: int, actor_id: int | None = None) -> str:
    return services.run_period_computation(period_id=period_id, actor_id=actor_id)
