from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "chuangcheng.places"
    label = "places"
    verbose_name = "区域与点位"
