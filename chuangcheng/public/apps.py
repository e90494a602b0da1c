from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "chuangcheng.public"
    label = "public"
    verbose_name = "市民参与"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from chuangcheng.places.models import SiteCategory
        from chuangcheng.public.open311.selectors import categories_changed

        for signal in (post_save, post_delete):  # Open311 lists keep the categories per process
            signal.connect(
                categories_changed, sender=SiteCategory, dispatch_uid=f"open311.categories.{signal is post_save}"
            )
