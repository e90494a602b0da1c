"""Redis stopped: citizens still report, and the rate limits and "me too" still count (per process)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from chuangcheng.core import cache as safe_cache
from chuangcheng.core.errors import Conflict
from chuangcheng.core.testing import REDIS_DOWN_CACHES
from chuangcheng.public.models import Report, ReportStatus
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import add_interest, submit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down():
    with override_settings(CACHES=REDIS_DOWN_CACHES):
        yield
    safe_cache.reset()


def _post(client, world):
    data = {
        "category": world["litter"].pk,
        "description": "小区门口垃圾桶满溢",
        "lng": "120.005",
        "lat": "30.005",
        "address": "东城路 1 号",
        "phone": "",
        "website": "",
    }
    return client.post(reverse("public:report"), data)


@override_settings(PUBLIC_RATE_LIMITS={"report:addr": (2, 3600)})
def test_citizen_report_is_taken_and_rate_limited_with_redis_down(redis_down, client, world):
    assert _post(client, world).status_code == 200
    report = Report.objects.get()
    assert report.status == ReportStatus.PENDING and report.area == world["east_area"]
    assert _post(client, world).status_code == 200
    assert _post(client, world).status_code == 429
    assert Report.objects.count() == 2


def test_me_too_is_counted_once_per_device_with_redis_down(redis_down, world):
    report, _ = submit_report(category=world["litter"], description="路边有一堆建筑垃圾", lng=120.005, lat=30.005)
    accept_report(report=report, actor=world["staff"])
    report = add_interest(report=report, client_address="1.1.1.1", device_id="a")
    assert report.interest_count == 1
    with pytest.raises(Conflict):
        add_interest(report=report, client_address="1.1.1.1", device_id="a")
