"""An inspector opens the product on a phone and lands on 待核查; the after photo that copies the before photo is
flagged; the verify form needs an on-site photo for the sources the office ticked; the office marks a rebound."""

import pytest

from chuangcheng.cases import services
from chuangcheng.cases.models import Case, CaseSource, CaseStatus
from chuangcheng.cases.tests.conftest import world  # noqa: F401  (the shared small city)
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.tests.test_verify_evidence import real_photo, upload
from chuangcheng.cases.workflow import Action, transition
from tests.e2e.conftest import PHONE, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Test-pass-2026"


def sign_in(browser, live_server, user, **context_args):
    context = browser.new_context(locale="zh-CN", **context_args)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return context, page, errors


def submitted_with_copied_photo(world):  # noqa: F811
    image = real_photo("places_map.png")
    case = case_in_state(world, CaseStatus.SIGNED, title="市场门口垃圾堆放")
    services.add_case_photos(actor=world.grid, case=case, uploads=[upload(image, "before.jpg")])
    case = transition(Case.objects.get(pk=case.pk), Action.START, actor=world.handler)
    copy = image.resize((image.width * 4 // 5, image.height * 4 // 5))
    return transition(case, Action.SUBMIT, actor=world.handler, evidence=[upload(copy, "after.jpg", quality=70)])


def test_inspector_lands_on_the_queue_and_verifies_with_an_on_site_photo(browser, live_server, world, tmp_path):  # noqa: F811
    services.set_verify_photo_sources(actor=world.office, sources=[CaseSource.PATROL])
    case = submitted_with_copied_photo(world)
    onsite = tmp_path / "onsite.jpg"
    onsite.write_bytes(upload(real_photo("cases.png"), "onsite.jpg").read())

    context, page, errors = sign_in(
        browser, live_server, world.inspector, viewport=PHONE, is_mobile=True, has_touch=True
    )
    assert page.url.endswith("/cases/verify/")
    assert page.locator("h1").inner_text().startswith("待核查")
    assert case.number in page.content()
    shot(page, "verify-queue-phone")
    page.click(f"text={case.number}")
    page.wait_for_load_state("networkidle")
    assert "与本案问题照片相同或近似" in page.content()
    form = page.locator("form.action-form[data-action=verify]")
    assert "现场核查照片（本来源必传）" in form.inner_text()
    form.locator("button[type=submit]").click()  # no photo: the browser's own check stops the form
    page.wait_for_timeout(300)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    form.locator("input[name=evidence]").set_input_files(str(onsite))
    form.locator("textarea[name=note]").fill("现场复查合格")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#case-status").inner_text() == "已办结"
    assert "核查照片" in page.content()
    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/cases/verify/") and case.number not in page.locator("main").inner_text()
    assert not errors, errors
    context.close()


def test_office_marks_a_rebound_on_the_detail_page(browser, live_server, world):  # noqa: F811
    origin = case_in_state(world, CaseStatus.CLOSED, site=None, lng=121.0, lat=31.0, title="上月的垃圾堆放")
    case = case_in_state(world, CaseStatus.DISPATCHED, site=None, lng=120.5, lat=30.5, title="又见垃圾堆放")
    context, page, errors = sign_in(browser, live_server, world.office, viewport={"width": 1366, "height": 900})
    assert page.url.endswith("/cases/dispatch/")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    section = page.locator("#rebound")
    section.locator("input[name=origin]").fill(origin.number)
    section.locator("input[name=reason]").fill("同一处反复堆放")
    section.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "已标记为反弹" in page.content() and "同一处反复堆放" in page.content()
    assert page.locator("#rebound button[type=submit]").inner_text() == "取消反弹标记"
    case.refresh_from_db()
    assert case.is_rebound and case.rebound_of_id == origin.pk
    assert not errors, errors
    context.close()
