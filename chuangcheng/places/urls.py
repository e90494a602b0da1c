from django.urls import path

from chuangcheng.places import views

app_name = "places"
urlpatterns = [
    path("areas/", views.AreaListView.as_view(), name="area_list"),
    path("areas/import/", views.AreaImportView.as_view(), name="area_import"),
    path("areas/divisions/", views.DivisionLoadView.as_view(), name="divisions"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="area_detail"),
    path("sites/", views.SiteListView.as_view(), name="site_list"),
    path("sites/new/", views.SiteCreateView.as_view(), name="site_create"),
    path("sites/import/", views.SiteImportView.as_view(), name="site_import"),
    path("sites/export/", views.SiteExportView.as_view(), name="site_export"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("sites/<int:pk>/edit/", views.SiteUpdateView.as_view(), name="site_update"),
    path("map/", views.MapView.as_view(), name="map"),
]
