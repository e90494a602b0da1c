"""The small city of the case tests (service-account tokens are tested against real cases)."""

from chuangcheng.cases.tests.conftest import world  # noqa: F401 (fixture)
