"""Archive completeness reads the same on every page that shows it (issue 13, item 7)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chuangcheng.dossiers import services
from chuangcheng.dossiers.completeness import rebuild_completeness
from chuangcheng.dossiers.models import MaterialStatus
from chuangcheng.dossiers.selectors import archive_completeness
from chuangcheng.dossiers.tests.factories import MaterialFactory

pytestmark = pytest.mark.django_db

THIS = timezone.localdate().year


@pytest.fixture
def archive(world):
    """3 requirements (kept 3 years) for 2 units: 18 item-years owed; 4 approved this year, 2 last year."""
    for req in world["reqs"]:
        services.assign_requirement(actor=world["admin"], requirement=req, units=[world["east"], world["west"]])
    for req in world["reqs"][:2]:
        for unit in (world["east"], world["west"]):
            MaterialFactory(requirement=req, unit=unit, year=THIS, status=MaterialStatus.APPROVED)
    MaterialFactory(requirement=world["reqs"][0], unit=world["east"], year=THIS - 1, status=MaterialStatus.APPROVED)
    MaterialFactory(requirement=world["reqs"][2], unit=world["west"], year=THIS - 2, status=MaterialStatus.APPROVED)
    MaterialFactory(requirement=world["reqs"][2], unit=world["west"], year=THIS, status=MaterialStatus.SUBMITTED)
    rebuild_completeness()
    return world


def _get(user, name) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_shows_the_same_archive_completeness(archive):
    office = archive["admin"]
    figure = archive_completeness(user=office)
    assert (figure.approved, figure.required) == (6, 18)
    assert figure.display == "33.3%"
    shown = {
        "dossiers:index": re.findall(r'class="completeness">([^<]+)<', _get(office, "dossiers:index")),
        "dossiers:matrix": re.findall(r'class="completeness">([^<]+)<', _get(office, "dossiers:matrix")),
        "readiness:index": re.findall(
            r'档案资料完整率</div><div class="big">([^<]+)<', _get(office, "readiness:index")
        ),
    }
    assert shown == {name: ["33.3%"] for name in shown}
    # the dossiers overview still tells this year apart, labelled as such (4 of 6 this year)
    assert f"其中 {THIS}年 66.7%" in _get(office, "dossiers:index")


def test_a_unit_sees_the_figure_of_its_own_units(archive):
    handler = archive["east_handler"]
    figure = archive_completeness(user=handler)
    assert (figure.approved, figure.required) == (3, 9)
    html = _get(handler, "dossiers:index")
    assert re.findall(r'class="completeness">([^<]+)<', html) == ["33.3%"]
