"""Thin task: send one delivery, retrying with backoff (immediately when eager)."""

from celery import shared_task
from django.conf import settings

from chuangcheng.notifications.models import Delivery
from chuangcheng.notifications.services import MAX_ATTEMPTS, send_delivery


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1)
def deliver(self, delivery_id: int) -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        for _ in range(MAX_ATTEMPTS):
            if send_delivery(delivery_id):
                return True
        return False
    if send_delivery(delivery_id):
        return True
    attempts = Delivery.objects.values_list("attempts", flat=True).get(pk=delivery_id)
    if attempts < MAX_ATTEMPTS:
        raise self.retry(countdown=30 * 2 ** (attempts - 1))
    return False
