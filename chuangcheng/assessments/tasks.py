"""Background jobs: thin wrappers that load ids and call one service."""

import logging

from celery import shared_task

from chuangcheng.assessments import services
from chuangcheng.assessments.models import Period
from chuangcheng.core.errors import DomainError

logger = logging.getLogger(__name__)


@shared_task(name="assessments.compute_period")
def compute_period_task(period_id: int, actor_id: int | None = None) -> str:
    from django.contrib.auth import get_user_model

    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        return "missing"
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        services.compute_period(period=period, actor=actor)
    except DomainError as exc:
        services.mark_period_failed(period=period, actor=actor, error=exc.message)
        return "refused"
    except Exception as exc:  # noqa: BLE001 - record the failure on the period, then let Celery log it
        logger.exception("assessment period %s failed", period_id)
        services.mark_period_failed(period=period, actor=actor, error=f"计算出错：{exc}")
        return "failed"
    return "computed"
