"""A problem from report to closure through a send-back and rework, as the grid worker,
the office, a unit handler and an independent verifier, in the real browser."""

import pytest

from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.conftest import world  # noqa: F401  (the shared small city)
from chuangcheng.cases.tests.factories import jpeg_upload
from tests.e2e.conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Test-pass-2026"


def photo_file(tmp_path, name, **kwargs):
    path = tmp_path / name
    path.write_bytes(jpeg_upload(name, **kwargs).read())
    return str(path)


def as_user(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # each role lands on its own page
    return context, page, errors


def act(page, action, *, note="", fill=None, files=None):
    form = page.locator(f"form.action-form[data-action={action}]")
    for selector, value in (fill or {}).items():
        if selector.startswith("select"):
            form.locator(selector).select_option(value)
        else:
            form.locator(selector).fill(value)
    if files:
        form.locator("input[name=evidence]").set_input_files(files)
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_case_from_report_to_closure_through_send_back(browser, live_server, world, tmp_path):  # noqa: F811
    # 1. A grid worker reports the problem with a photo.
    context, page, errors = as_user(browser, live_server, world.grid)
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("input[name=title]", "农贸市场门口垃圾堆放")
    page.select_option("select[name=site]", str(world.site.pk))
    page.set_input_files("input[name=photos]", photo_file(tmp_path, "before.jpg", pattern=1))
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已上报" in page.content()
    case = Case.objects.get(title="农贸市场门口垃圾堆放")
    context.close()

    # 2. The office registers it and dispatches it to the city administration bureau.
    context, page, errors = as_user(browser, live_server, world.office)
    page.goto(f"{live_server.url}/cases/dispatch/")
    assert case.number in page.content()
    page.click(f"text={case.number}")
    act(page, "register")
    act(page, "dispatch", fill={"select[name=lead_unit]": str(world.urban.pk)})
    assert page.locator("#case-status").inner_text() == "已派遣"
    shot(page, "cases-office-dispatched")
    context.close()

    # 3. The unit handler signs, starts and submits evidence.
    context, page, errors = as_user(browser, live_server, world.handler)
    page.goto(f"{live_server.url}/cases/inbox/?tab=to_sign")
    page.click(f"text={case.number}")
    act(page, "sign")
    act(page, "start")
    act(
        page,
        "submit",
        note="已清理",
        files=[photo_file(tmp_path, "fix1.jpg", pattern=2, taken_at="2099:01:01 09:00:00", gps=(120.005, 30.005))],
    )
    assert page.locator("#case-status").inner_text() == "待核查"
    assert not page.locator("form.action-form[data-action=verify]").count()  # never the verifier
    context.close()

    # 4. The verifier sends it back, with a comment.
    context, page, errors = as_user(browser, live_server, world.inspector)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    act(page, "send_back", note="地面仍有油污，需冲洗")
    assert page.locator("#case-status").inner_text() == "整改中"
    context.close()

    # 5. The handler reworks and submits again (the first attempt stays on record).
    context, page, errors = as_user(browser, live_server, world.handler)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert "地面仍有油污" in page.content()
    act(
        page,
        "submit",
        note="已冲洗",
        files=[photo_file(tmp_path, "fix2.jpg", pattern=3, taken_at="2099:01:02 09:00:00", gps=(120.005, 30.005))],
    )
    assert "第2次整改" in page.content() and "第1次整改" in page.content()
    context.close()

    # 6. The verifier closes it.
    context, page, errors = as_user(browser, live_server, world.inspector)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    act(page, "verify", note="复查合格")
    assert page.locator("#case-status").inner_text() == "已办结"
    shot(page, "cases-closed")
    assert not errors, errors
    context.close()

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.sendback_count == 1
    assert list(case.transitions.values_list("action", flat=True)) == [
        "report",
        "register",
        "dispatch",
        "sign",
        "start",
        "submit",
        "send_back",
        "submit",
        "verify",
    ]
