"""Markup in data never runs: names shown on maps and charts are escaped, and the Content-Security-Policy
forbids inline script, so a missed spot could not run either.

Every name a map or chart shows (areas, units, sites, site categories, check items, case titles, rounds)
carries an <img onerror> or a <script>. Each page is opened, tooltips hovered and popups opened; the
planted code must not have run, the policy header must be there, and the browser must report no policy
violation (an unescaped <img onerror> would be refused by the policy and reported, so a violation also
means a missed escape; on normal pages it means a script the move to static files broke).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.dashboard.services import refresh_dashboard
from chuangcheng.inspections.models import RoundStatus
from chuangcheng.inspections.tests.factories import VisitFactory
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory, square
from chuangcheng.readiness import services as readiness
from chuangcheng.standards.models import Standard, StandardStatus
from chuangcheng.standards.tests.factories import CheckItemFactory, SamplingQuotaFactory, StandardFactory

pytestmark = pytest.mark.django_db(transaction=True)

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"
PASSWORD = "Test-pass-2026"
# Collects violations the page itself sees (console messages can be missed before a listener is attached).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def world():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    street = UnitFactory(code="S1", name=f"{IMG}街道", kind=UnitKind.STREET, parent=city)
    other = UnitFactory(code="S2", name=f"{SCRIPT}街道", kind=UnitKind.STREET, parent=city)
    district = AreaFactory(
        name=f"{SCRIPT}片区", level=AreaLevel.STREET, unit=street, geometry=square(120.0, 30.0, 0.04)
    )
    grids = [
        AreaFactory(name=f"{IMG}网格", parent=district, unit=street, geometry=square(120.0, 30.0, 0.02)),
        AreaFactory(name=f"{SCRIPT}网格", parent=district, unit=other, geometry=square(120.02, 30.0, 0.02)),
    ]
    category = SiteCategoryFactory(code="market", name=f"{IMG}市场")
    standard = StandardFactory(kind="sanitary_city")
    item = CheckItemFactory(standard=standard, title=f"{SCRIPT}检查项", points=2, site_categories=[category])
    SamplingQuotaFactory(standard=standard, category=category, min_samples_small=2, min_samples_medium=2)
    Standard.objects.filter(pk=standard.pk).update(status=StandardStatus.PUBLISHED)
    sites = [
        SiteFactory(name=f"{IMG}点位", category=category, unit=street, area=grids[0], lng=120.01, lat=30.01),
        SiteFactory(name=f"{SCRIPT}点位", category=category, unit=other, area=grids[1], lng=120.03, lat=30.01),
    ]
    now = timezone.now()
    cases = [
        CaseFactory(
            title=f"{title}垃圾",
            site=site,
            category=category,
            check_item=item,
            area=site.area,
            lead_unit=site.unit,
            lng=site.lng,
            lat=site.lat,
            status=CaseStatus.RECTIFYING,
            registered_at=now,
            dispatched_at=now,
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )
        for title, site in ((IMG, sites[0]), (SCRIPT, sites[1]))
    ]
    user = user_with_role(Role.OFFICE_ADMIN, office, username="office", is_staff=True, is_superuser=True)
    VisitFactory(
        round__name=f"{IMG}第一轮", round__unit=office, round__status=RoundStatus.DRAWN, site=sites[0], inspector=user
    )
    refresh_dashboard()
    readiness.run_forecast(actor=user, runs=200, seed=3)
    colleague = user_with_role(Role.OFFICE_STAFF, office, full_name=f"{IMG}同事")
    return {"user": user, "colleague": colleague, "grids": grids, "sites": sites, "cases": cases, "district": district}


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_function("() => !location.pathname.startsWith('/login/')")


def watch(page):
    console = []
    page.add_init_script(WATCH)
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: console.append(f"page error: {exc}"))
    return console


def check(page, response, console, label):
    policy = response.headers.get("content-security-policy", "")
    assert policy.startswith("default-src 'self'; script-src 'self';"), label
    assert page.evaluate("window.__xss") is None, f"{label}: planted markup ran"
    assert page.evaluate("window.__csp") == [], f"{label}: {page.evaluate('window.__csp')}"
    assert console == [], f"{label}: {console}"


def shown_text(page, selector):
    page.wait_for_selector(selector)
    return page.locator(selector).first.inner_text()


def test_planted_markup_is_shown_as_text_on_maps_and_charts(page, live_server, world):
    console = watch(page)
    sign_in(page, live_server)
    base = live_server.url

    # dashboard and big screen: the grid map's tooltip and the unit ranking's chart tooltip
    for url in (reverse("dashboard:index"), reverse("dashboard:bigscreen")):
        response = page.goto(base + url)
        page.wait_for_selector("#grid-map[data-loaded='2']")
        page.locator("#grid-map path.leaflet-interactive").first.hover()
        assert "<" in shown_text(page, ".leaflet-tooltip")  # the name as text: "<img …>" or "<script>…"
        box = page.locator("#chart-rankings").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
        page.wait_for_timeout(300)
        assert "街道" in page.locator("#chart-rankings").inner_text()  # tooltip names the unit, as text
        box = page.locator("#chart-funnel").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3)
        page.wait_for_timeout(300)
        check(page, response, console, url)

    # places map: a click opens the area's popup and the lookup's chain of names
    response = page.goto(f"{base}{reverse('places:map')}?area={world['district'].pk}")
    page.wait_for_selector("#map[data-ready='1']")
    page.wait_for_function("() => document.getElementById('map-status').textContent.startsWith('区域')")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45)
    assert "<" in shown_text(page, ".leaflet-popup-content")
    check(page, response, console, "places map")

    # an area's and a site's own map: names in tooltips
    response = page.goto(base + reverse("places:area_detail", args=[world["district"].pk]))
    page.wait_for_selector("#map[data-ready='1'] .leaflet-overlay-pane canvas")
    page.wait_for_timeout(500)
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    page.wait_for_timeout(300)
    check(page, response, console, "area detail")
    response = page.goto(base + reverse("places:site_detail", args=[world["sites"][0].pk]))
    page.wait_for_selector("#map[data-ready='1']")
    check(page, response, console, "site detail")

    # the case map's popups and a case's own map (popup with the title, tooltip with the grid's name)
    response = page.goto(base + reverse("cases:map"))
    page.wait_for_selector("#cases-map[data-ready='1'] path.leaflet-interactive")
    for marker in page.locator("#cases-map path.leaflet-interactive").all():
        marker.click(force=True)
        assert "垃圾" in shown_text(page, ".leaflet-popup-content")
    check(page, response, console, "case map")
    response = page.goto(base + reverse("cases:detail", args=[world["cases"][0].pk]))
    page.wait_for_selector("#case-map[data-ready='1']")
    page.locator("#case-map path.leaflet-interactive").last.click(force=True)
    assert IMG in shown_text(page, ".leaflet-popup-content")
    check(page, response, console, "case detail")

    # the forecast's chart and tables (check items, categories, areas, units), rounds and visits
    response = page.goto(base + reverse("readiness:index"))
    page.wait_for_selector("#score-chart canvas")
    box = page.locator("#score-chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6)
    page.wait_for_timeout(300)
    assert f"{SCRIPT}检查项" in page.locator("body").inner_text()
    check(page, response, console, "readiness")
    for url in (
        reverse("inspections:my_visits"),
        reverse("inspections:round_list"),
        reverse("assessments:period_list"),
    ):
        response = page.goto(base + url)
        check(page, response, console, url)


MAIN_PAGES = [
    ("accounts:home", []),
    ("cases:list", []),
    ("cases:dispatch", []),
    ("places:area_list", []),
    ("places:site_list", []),
    ("org:unit_list", []),
    ("standards:list", []),
    ("inspections:patrol", []),
    ("dossiers:index", []),
    ("campaigns:index", []),
    ("notifications:inbox", []),
    ("accounts:user_list", []),
    ("public:report", []),
]


def test_main_pages_run_their_scripts_under_the_policy(page, live_server, world):
    console = watch(page)
    sign_in(page, live_server)
    for name, args in MAIN_PAGES:
        response = page.goto(live_server.url + reverse(name, args=args))
        page.wait_for_load_state("load")
        assert response.status == 200, name
        check(page, response, console, name)

    # shared behaviour moved out of inline handlers: the phone menu and the confirm prompts
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/")
    page.click(".nav-toggle")
    assert "nav-open" in page.evaluate("document.body.className")
    page.goto(live_server.url + reverse("accounts:user_detail", args=[world["colleague"].pk]))
    prompts = []
    page.on("dialog", lambda d: (prompts.append(d.message), d.dismiss()))
    page.locator("form[data-confirm] button[type=submit]").first.click()
    assert prompts and "确定" in prompts[0]
    assert page.url.endswith(reverse("accounts:user_detail", args=[world["colleague"].pk]))  # dismissed: not posted

    # Swagger UI (its start-up script is a file) and the Django admin work under the policy
    response = page.goto(live_server.url + reverse("api-docs"))
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    check(page, response, console, "api docs")
    response = page.goto(live_server.url + "/admin/")
    assert response.status == 200 and page.locator("#content").count() == 1
    check(page, response, console, "admin")
