from chuangcheng.cases.tests.conftest import world  # noqa: F401  (the shared small city)
