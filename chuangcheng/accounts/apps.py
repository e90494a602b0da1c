from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chuangcheng.accounts"
    label = "accounts"
    verbose_name = "账户与角色"

    def ready(self):
        from chuangcheng.accounts import schema  # noqa: F401 (registers the OpenAPI security scheme)
