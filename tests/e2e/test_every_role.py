"""Log in as each demo role and open every page the navigation and the home page offer.

The pages are discovered from the rendered navigation, so a new main page is
walked as soon as it is linked. Each page must answer 200, render without a
JavaScript error, and show the user's name in the header.
"""

import pytest

from chuangcheng.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from chuangcheng.places.demo.seed import seed_demo_city
from tests.e2e.conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_role_opens_every_page(browser, live_server):
    seed_demo_city(actor=None, scale=1)
    failures: list[str] = []
    visited = 0
    for username, full_name, _role, _unit in DEMO_USERS:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)  # each role lands on its own page
        page.goto(f"{live_server.url}/?all=1")  # the home page with every card
        links = page.eval_on_selector_all(
            ".mainnav a, .userbox a.nav-inbox, .cards a.tile",
            "els => [...new Set(els.map(e => e.getAttribute('href')))]",
        )
        assert links, f"{username}: no navigation links"
        for href in links:
            errors.clear()
            response = page.goto(f"{live_server.url}{href}")
            page.wait_for_load_state("networkidle")
            visited += 1
            status = response.status if response else 0
            if status != 200:
                failures.append(f"{username} {href}: HTTP {status}")
            elif full_name not in page.inner_text(".topbar"):
                failures.append(f"{username} {href}: header without the user's name")
            if errors:
                failures.append(f"{username} {href}: JavaScript error {errors[0][:200]}")
        shot(page, f"role_{username}")
        context.close()
    assert not failures, "\n".join(failures)
    assert visited >= len(DEMO_USERS) * 3
