from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "chuangcheng.places"
    label = "places"
    verbose_name = "区域与点位"

    def ready(self):
        from chuangcheng.accounts.selectors import register_scope_counter
        from chuangcheng.places.models import Area, Site

        register_scope_counter("区域", lambda user: Area.objects.visible_to(user).count())
        register_scope_counter("点位", lambda user: Site.objects.visible_to(user).count())
