"""Reports and dashboards read from the replica when ``DATABASE_REPLICA_URL`` configures one
(``config.db_router``): which reads go there, and that they really run on that connection."""

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.cases.models import Case
from chuangcheng.dashboard.models import UnitCaseStat
from chuangcheng.org.tests.factories import UnitFactory
from config import env
from config.db_router import REPLICA, ReplicaRouter, replica_reads

router = ReplicaRouter()
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, REPLICA: dict(settings.DATABASES["default"])}


def test_without_a_replica_every_read_stays_on_the_primary():
    assert router.db_for_read(UnitCaseStat) is None
    with replica_reads():
        assert router.db_for_read(Case) is None


def test_dashboard_reads_and_report_blocks_go_to_the_replica(with_replica):
    assert router.db_for_read(UnitCaseStat) == REPLICA
    assert router.db_for_read(Case) is None
    with replica_reads():
        assert router.db_for_read(Case) == REPLICA
    assert router.db_for_read(Case) is None


def test_writes_reads_in_a_transaction_and_migrations_stay_on_the_primary(with_replica, monkeypatch):
    assert router.db_for_write(UnitCaseStat) == "default"
    assert router.allow_migrate("default", "dashboard") and not router.allow_migrate(REPLICA, "dashboard")
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    assert router.db_for_read(UnitCaseStat) is None  # a transaction reads its own writes


def test_replica_url_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert env.replica_database() is None
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader:secret@db2:5433/chuangcheng")
    config = env.replica_database()
    assert (config["HOST"], config["PORT"], config["USER"], config["NAME"]) == ("db2", "5433", "reader", "chuangcheng")
    assert config["TEST"] == {"MIRROR": "default"}
    monkeypatch.setenv("DATABASE_REPLICA_URL", "mysql://db2/x")
    with pytest.raises(ValueError):
        env.replica_database()


@pytest.mark.django_db(transaction=True)
def test_a_dashboard_query_runs_on_the_replica_connection(with_replica):
    """A second connection to the same (test) database stands in for the streaming replica."""
    replica = load_backend(connections["default"].settings_dict["ENGINE"]).DatabaseWrapper(
        dict(connections["default"].settings_dict), alias=REPLICA
    )
    connections[REPLICA] = replica
    try:
        unit = UnitFactory()
        UnitCaseStat.objects.create(unit=unit, open=3, refreshed_at=timezone.now())
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            rows = list(UnitCaseStat.objects.values_list("unit_id", "open"))
        assert rows == [(unit.pk, 3)]
        assert any("dashboard_unitcasestat" in query["sql"] for query in on_replica.captured_queries)
        with CaptureQueriesContext(connections["default"]) as on_primary, replica_reads():
            assert Case.objects.count() == 0
        assert not any("cases_case" in query["sql"] for query in on_primary.captured_queries)
    finally:
        replica.close()
        del connections[REPLICA]
