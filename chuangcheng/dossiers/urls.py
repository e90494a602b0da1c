from django.urls import path

from chuangcheng.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("materials/", views.MaterialListView.as_view(), name="material_list"),
    path("materials/upload/", views.UploadView.as_view(), name="material_upload"),
    path("materials/<int:pk>/", views.MaterialDetailView.as_view(), name="material_detail"),
    path("materials/<int:pk>/file/", views.MaterialFileView.as_view(), name="material_file"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("evaluation/", views.EvaluationView.as_view(), name="evaluation"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("assignments/", views.AssignView.as_view(), name="assignments"),
]
