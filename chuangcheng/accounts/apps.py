from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chuangcheng.accounts"
    label = "accounts"
    verbose_name = "账户与角色"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from chuangcheng.accounts import schema  # noqa: F401 (registers the OpenAPI security scheme)
        from chuangcheng.accounts.models import Membership
        from chuangcheng.core.scoping import scopes_changed
        from chuangcheng.org.models import Unit

        # Scopes are kept per process (``core.scoping.cached_scope``): any change of memberships or units renews them.
        for model in (Membership, Unit):
            post_save.connect(scopes_changed, sender=model, dispatch_uid=f"scopes_changed.save.{model.__name__}")
            post_delete.connect(scopes_changed, sender=model, dispatch_uid=f"scopes_changed.delete.{model.__name__}")
