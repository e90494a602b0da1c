import io
from datetime import date

import pytest

from chuangcheng.campaigns import services
from chuangcheng.campaigns.selectors import leader_overview, pledge_counts_by_street
from chuangcheng.campaigns.tests.factories import LetterFactory
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(data: bytes, name: str):
    buffer = io.BytesIO(data)
    buffer.name = name
    buffer.size = len(data)
    return buffer


def test_letter_per_unit_and_year_is_unique(world):
    services.create_letter(actor=world["admin"], unit=world["east"], year=2026, title="", targets="目标一\n目标二\n")
    with pytest.raises(DomainError) as error:
        services.create_letter(actor=world["admin"], unit=world["east"], year=2026, title="再来")
    assert error.value.field == "year"


def test_letter_scan_is_checked_by_content(world):
    letter = LetterFactory(unit=world["east"])
    with pytest.raises(DomainError) as error:
        services.attach_letter_scan(letter=letter, actor=world["east_head"], scan=upload(b"MZ\x90\x00binary", "a.pdf"))
    assert error.value.field == "scan"
    letter = services.attach_letter_scan(letter=letter, actor=world["east_head"], scan=upload(PDF, "责任书.pdf"))
    assert letter.is_signed and letter.scan_kind == "pdf" and letter.scan_name == "责任书.pdf"
    with pytest.raises(NotPermitted):
        services.attach_letter_scan(letter=letter, actor=world["west_head"], scan=upload(PDF, "x.pdf"))


def test_leader_page_shows_areas_units_and_tasks(world):
    from chuangcheng.accounts.models import Role
    from chuangcheng.accounts.tests.factories import user_with_role
    from chuangcheng.campaigns.tests.factories import TaskFactory

    leader = user_with_role(Role.LEADER, world["city"])
    area = AreaFactory(unit=world["east_street"], level=3)
    SiteFactory(area=area, unit=world["east_street"])
    services.assign_leader(actor=world["admin"], leader=leader, area=area, duty="包抓东城一街道")
    services.assign_leader(actor=world["admin"], leader=leader, unit=world["west"])
    TaskFactory(lead_unit=world["west"])
    overview = leader_overview(user=world["admin"], leader=leader)
    assert [a.pk for a, _ in overview["areas"]] == [area.pk]
    assert overview["areas"][0][1] == 1
    assert overview["units"] == [world["west"]]
    assert len(overview["tasks"]) == 1
    with pytest.raises(DomainError):
        services.assign_leader(actor=world["admin"], leader=leader, unit=world["west"])


def test_pledges_counted_per_street(world):
    east_site = SiteFactory(unit=world["east_community"])
    SiteFactory(unit=world["east_community"])
    west_site = SiteFactory(unit=world["west_street"])
    pledge = services.create_pledge(
        actor=world["east_head"], site=east_site, party="张记早餐", year=2026, signed_on=date(2026, 3, 1)
    )
    assert pledge.street == world["east_street"]
    with pytest.raises(NotPermitted):
        services.create_pledge(
            actor=world["east_head"], site=west_site, party="李记", year=2026, signed_on=date(2026, 3, 1)
        )
    with pytest.raises(DomainError):
        services.create_pledge(
            actor=world["admin"], site=east_site, party="重复", year=2026, signed_on=date(2026, 3, 2)
        )
    rows = {
        row.street.code: (row.pledges, row.sites, row.coverage)
        for row in pledge_counts_by_street(user=world["admin"], year=2026)
    }
    assert rows == {"D01-S01": (1, 2, 50.0), "D02-S01": (0, 1, 0.0)}


def test_leader_page_lists_an_ended_area_assignment_without_a_unit(world):
    """A past 包抓 of an area alone (no unit) used to fail the page: a missing unit in a filter argument."""
    from django.test import Client

    from chuangcheng.accounts.models import Role
    from chuangcheng.accounts.tests.factories import user_with_role
    from chuangcheng.campaigns.tests.factories import LeaderAssignmentFactory

    leader = user_with_role(Role.LEADER, world["city"])
    area = AreaFactory(unit=world["east_street"], level=3, name="东城一街道片区")
    ended = {"start_date": date(2025, 1, 1), "end_date": date(2025, 6, 30)}
    LeaderAssignmentFactory(leader=leader, area=area, unit=None, **ended)
    client = Client()
    client.force_login(world["admin"])
    response = client.get(f"/campaigns/leaders/{leader.pk}/")
    assert response.status_code == 200
    assert "东城一街道片区（至 2025-06-30）" in response.content.decode()
