from django.urls import path

from chuangcheng.org import views

app_name = "org"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("import/", views.UnitImportView.as_view(), name="unit_import"),
    path("export/", views.UnitExportView.as_view(), name="unit_export"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_update"),
]
