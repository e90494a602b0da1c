from django.urls import path

from chuangcheng.readiness import views

app_name = "readiness"
urlpatterns = [
    path("", views.ReadinessView.as_view(), name="index"),
    path("run/", views.RunForecastView.as_view(), name="run"),
    path("runs/<int:pk>/what-if/", views.WhatIfView.as_view(), name="what_if"),
    path("windows/", views.WindowListView.as_view(), name="window_list"),
    path("windows/new/", views.WindowCreateView.as_view(), name="window_create"),
    path("windows/<int:pk>/edit/", views.WindowUpdateView.as_view(), name="window_update"),
    path("dual/<int:pk>/", views.DualReadinessView.as_view(), name="dual"),
    path("minors/", views.MinorsListView.as_view(), name="minors_list"),
    path("minors/new/", views.MinorsCreateView.as_view(), name="minors_create"),
    path("minors/<int:pk>/edit/", views.MinorsUpdateView.as_view(), name="minors_update"),
]
