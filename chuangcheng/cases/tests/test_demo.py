"""The demo activity generator drives the real workflow and leaves verifiable chains."""

import pytest

from chuangcheng.audit.services import verify_audit_chain
from chuangcheng.cases.chain import verify_case_timelines
from chuangcheng.cases.demo import simulate_activity
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.places.demo.seed import seed_demo_city

pytestmark = pytest.mark.django_db


def test_simulated_activity_walks_the_workflow_and_is_idempotent():
    seed_demo_city(actor=None, scale=1)
    result = simulate_activity(days=12, per_day=4, seed=7)
    assert result.cases == Case.objects.count() > 20
    assert result.closed == Case.objects.filter(status=CaseStatus.CLOSED).count() > 0
    assert Case.objects.exclude(status=CaseStatus.CLOSED).exists()
    assert all(case.lead_unit_id for case in Case.objects.filter(status=CaseStatus.CLOSED))
    assert verify_audit_chain() == []
    assert verify_case_timelines() == []
    again = simulate_activity(days=12, per_day=4, seed=7)
    assert again.skipped and Case.objects.count() == result.cases
