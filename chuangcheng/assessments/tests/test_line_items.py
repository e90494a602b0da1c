"""Per-case lines list every case behind them: page, API (with the case filter), ledger and content hash."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from chuangcheng.assessments import selectors, services
from chuangcheng.assessments.models import PeriodKind, RuleKind, ScoreLine, UnitScore
from chuangcheng.assessments.tests.conftest import client_for
from chuangcheng.assessments.tests.test_compute_cases import make_case, scheme  # noqa: F401 - fixture
from chuangcheng.assessments.tests.test_views import page_client
from chuangcheng.cases.models import CaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(tree, users, scheme):  # noqa: F811
    east, west = tree["east"], tree["west"]
    cases = {
        # open since 2 March, deadline Fri 27 March → open, overdue, 2 working days (30, 31 March)
        "a": make_case(east, deadline=datetime.date(2026, 3, 27)),
        # closed 13 March after its deadline Tue 10 March, sent back twice → overdue, 3 days, 2 send-backs
        "b": make_case(
            east,
            deadline=datetime.date(2026, 3, 10),
            closed_at=datetime.datetime(2026, 3, 13, 10, tzinfo=datetime.UTC),
            status=CaseStatus.CLOSED,
            sendback_count=2,
        ),
        "w": make_case(west, deadline=datetime.date(2026, 4, 30)),
    }
    period = services.create_period(
        actor=users["office"],
        scheme=scheme,
        kind=PeriodKind.MONTHLY,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
    )
    services.compute_period(period=period, actor=users["office"])
    period = services.publish_period(period=period, actor=users["office"])
    return period, cases


def test_api_lists_each_case_of_a_line_and_filters_lines_by_case(period, tree, users):
    period, cases = period
    a, b = cases["a"], cases["b"]
    rows = client_for(users["east"]).get(f"/api/v1/assessments/lines/?period={period.pk}&kind=overdue_day").json()
    (line,) = rows["results"] if isinstance(rows, dict) else rows
    assert line["points"] == "-0.50" and line["case_ref"] is None
    assert [(i["case"], i["number"], i["quantity"], i["points"]) for i in line["items"]] == [
        (a.pk, a.number, 2, "-0.2"),
        (b.pk, b.number, 3, "-0.3"),
    ]
    found = client_for(users["east"]).get(f"/api/v1/assessments/lines/?period={period.pk}&case_ref={b.pk}").json()
    found = found["results"] if isinstance(found, dict) else found
    assert sorted(row["kind"] for row in found) == ["overdue_case", "overdue_day", "sendback"]
    # the west unit cannot reach the east unit's lines through the case filter
    other = client_for(users["west"]).get(f"/api/v1/assessments/lines/?period={period.pk}&case_ref={b.pk}").json()
    assert (other["results"] if isinstance(other, dict) else other) == []


def test_unit_page_lists_every_case_with_its_share(period, tree, users):
    period, cases = period
    score = UnitScore.objects.get(period=period, unit=tree["east"])
    html = page_client(users["east"]).get(f"/assessments/scores/{score.pk}/").content.decode()
    assert "逐件列出（2 件案件）" in html  # overdue cases and overdue days: a and b
    assert cases["a"].number in html and cases["b"].number in html and cases["w"].number not in html
    assert "03-11至03-13" in html and "-0.3" in html


def test_ledger_has_one_row_per_case_of_each_line(period, tree, users):
    period, cases = period
    response = client_for(users["office"]).get(f"/api/v1/assessments/periods/{period.pk}/ledger/")
    sheet = load_workbook(io.BytesIO(response.content))["案件明细"]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    # east: open a; overdue a, b; days a, b; send-back b — west: open w
    assert len(rows) == 7
    assert sum(row[6] for row in rows if row[0] == "东城区") == pytest.approx(-(1 + 4 + 0.5 + 2))
    assert {row[4] for row in rows if row[0] == "西城区"} == {cases["w"].number}


def test_changing_a_listed_case_breaks_the_published_hash(period):
    period, cases = period
    assert selectors.period_is_intact(period)
    line = ScoreLine.objects.get(period=period, kind=RuleKind.OVERDUE_DAY)
    line.items[0][2] = 1
    ScoreLine.objects.filter(pk=line.pk).update(items=line.items)
    assert not selectors.period_is_intact(period)
