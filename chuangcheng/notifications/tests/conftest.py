import pytest

from chuangcheng.cases.tests.conftest import world  # noqa: F401  (the shared small city)
from chuangcheng.notifications.tests.stubs import Stub


@pytest.fixture
def stub(settings):
    """A DingTalk/WeCom/SMS-gateway stub on a free local port; short HTTP timeout for the timeout tests."""
    settings.NOTIFY_HTTP_TIMEOUT = 0.5
    server = Stub().start()
    settings.SMS_OPTIONS = {"HTTP_URL": server.url("/sms"), "HTTP_SECRET": server.sms_secret, "SIGN_NAME": "示范市"}
    yield server
    server.stop()
