"""The office's header on a 1366 px laptop: every menu entry, the countdown and the user box on one line.

With the demo's long window title (距省爱卫办暗访复核（演示）) the menu used to wrap, pushing 基础数据 onto a second
row; the countdown's label is now cut with an ellipsis (its full text stays in the title)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chuangcheng.accounts.demo import DEMO_PASSWORD
from chuangcheng.accounts.models import User
from chuangcheng.places.demo.seed import seed_demo_city
from chuangcheng.readiness.services import create_window
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_header_fits_one_line_at_1366(browser, live_server):
    seed_demo_city(actor=None, scale=1)
    today = timezone.localdate()
    create_window(
        actor=User.objects.get(username="office"),
        kind="provincial",
        title="省爱卫办暗访复核（演示）",
        earliest=today + timedelta(days=30),
        latest=today + timedelta(days=45),
    )
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, live_server, "office", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/campaigns/")
    assert page.locator(".topbar .countdown").count() == 1
    tops = page.eval_on_selector_all(
        ".mainnav > a, .mainnav > span, .mainnav > details > summary",
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))",
    )
    assert len(tops) >= 8 and len(set(tops)) == 1, tops
    assert page.locator(".topbar").bounding_box()["height"] <= 60
    title = page.locator(".topbar .countdown").get_attribute("title")
    assert (today + timedelta(days=30)).isoformat() in title  # the dates stay readable in the title
    shot(page, "topbar_1366")
    context.close()
