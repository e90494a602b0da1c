import pytest
from django.core.management import call_command

from chuangcheng.campaigns.demo import seed_campaigns_demo
from chuangcheng.campaigns.demo_people import MEETING_TITLE
from chuangcheng.campaigns.meeting_models import Meeting
from chuangcheng.campaigns.notice_models import Notice, NoticeStatus
from chuangcheng.places.demo.seed import seed_demo_city

pytestmark = pytest.mark.django_db


def test_demo_has_notices_in_every_state_and_a_meeting_with_lapses():
    seed_demo_city(actor=None, scale=1)
    call_command("load_calendar", verbosity=0)
    message = seed_campaigns_demo()
    assert "抄告单 4 份" in message and "调度会/推进会 2 次" in message
    notices = {n.unit.code: n for n in Notice.objects.select_related("unit")}
    assert notices["D01-S01"].status == NoticeStatus.CLOSED
    assert notices["D02"].status == NoticeStatus.ISSUED and notices["D02"].escalation_level >= 1
    assert notices["D01"].status == NoticeStatus.SIGNED
    assert all("演示" in n.title for n in notices.values())
    meeting = Meeting.objects.get(title=MEETING_TITLE)
    statuses = dict(meeting.attendees.values_list("unit__code", "status"))
    assert statuses["D03"] == "absent" and statuses["DEPT-ZJ"] == "late" and statuses["DEPT-WJ"] == "leave"
    assert meeting.decisions.get(notice__isnull=False).notice.unit.code == "D04"
    assert seed_campaigns_demo().startswith("已有") and Notice.objects.count() == 4
