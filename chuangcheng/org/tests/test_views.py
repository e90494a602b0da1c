import pytest
from django.test import Client
from django.urls import reverse

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def page_for(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_unit_breadcrumb_links_only_units_the_user_may_open():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=east)
    community = UnitFactory(code="D01-S01-C01", name="一社区", kind=UnitKind.COMMUNITY, parent=street)
    head = user_with_role(Role.UNIT_HEAD, street)

    response = page_for(head, reverse("org:unit_detail", args=[community.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("org:unit_detail", args=[street.pk]) in html
    assert "示范市" in html and "东城区" in html  # still named in the breadcrumb
    assert reverse("org:unit_detail", args=[city.pk]) not in html
    assert reverse("org:unit_detail", args=[east.pk]) not in html
    assert page_for(head, reverse("org:unit_detail", args=[east.pk])).status_code == 404
