from django.urls import path

from chuangcheng.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("dispatch/", views.DispatchConsoleView.as_view(), name="dispatch"),
    path("map/", views.CaseMapView.as_view(), name="map"),
    path("export/", views.CaseExportView.as_view(), name="export"),
    path("bulk/", views.BulkView.as_view(), name="bulk"),
    path("rules/", views.RoutingRuleListView.as_view(), name="rules"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/transition/", views.CaseTransitionView.as_view(), name="transition"),
    path("<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("<int:pk>/photos/", views.PhotoUploadView.as_view(), name="photos"),
]
