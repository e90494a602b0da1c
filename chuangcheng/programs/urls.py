from django.urls import path

from chuangcheng.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("new/", views.CampaignCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="update"),
    path("<int:pk>/close/", views.CampaignCloseView.as_view(), name="close"),
]
