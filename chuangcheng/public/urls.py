from django.urls import path

from chuangcheng.public.views import board, citizen, feedback, hotline, keys, moderation, survey_results, surveys

app_name = "public"
urlpatterns = [
    # Residents (no account)
    path("", citizen.index, name="index"),
    path("report/", citizen.report, name="report"),
    path("report/nearby/", citizen.nearby, name="nearby"),
    path("report/<str:number>/metoo/", citizen.metoo, name="metoo"),
    path("follow/", citizen.follow, name="follow"),
    path("follow/dispute/", citizen.dispute, name="dispute"),
    path("follow/rate/", feedback.rate, name="rate"),
    path("praise/", feedback.praise, name="praise"),
    path("elder/", citizen.elder, name="elder"),
    path("after-photo/<int:pk>/", feedback.after_photo, name="after_photo"),
    path("photo/<int:pk>/", citizen.photo, name="photo"),
    path("board/", board.board, name="board"),
    path("board/feed/rss/", board.BoardFeed(), name="board_rss"),
    path("board/feed/atom/", board.BoardAtomFeed(), name="board_atom"),
    path("board/<str:number>/", board.board_detail, name="board_detail"),
    path("s/<str:token>/", surveys.survey_answer, name="survey_answer"),
    path("s/<str:token>/qr/", surveys.survey_qr_public, name="survey_qr_public"),
    # Office
    path("moderation/", moderation.ModerationQueueView.as_view(), name="moderation"),
    path("moderation/<int:pk>/", moderation.ModerationDetailView.as_view(), name="moderation_detail"),
    path("moderation/photo/<int:pk>/original/", moderation.PhotoOriginalView.as_view(), name="photo_original"),
    path("moderation/photo/<int:pk>/preview/", moderation.PhotoPreviewView.as_view(), name="photo_preview"),
    path("moderation/photo/<int:pk>/redact/", moderation.PhotoRedactView.as_view(), name="photo_redact"),
    path("surveys/", surveys.SurveyListView.as_view(), name="survey_list"),
    path("surveys/new/", surveys.SurveyCreateView.as_view(), name="survey_create"),
    path("surveys/<int:pk>/", surveys.SurveyDetailView.as_view(), name="survey_detail"),
    path("surveys/<int:pk>/qr/", surveys.SurveyQRView.as_view(), name="survey_qr"),
    path("surveys/indicators/", survey_results.IndicatorResultsView.as_view(), name="survey_indicators"),
    path("surveys/collect/", survey_results.SurveyCollectListView.as_view(), name="survey_collect_list"),
    path("surveys/<int:pk>/collect/", survey_results.SurveyCollectView.as_view(), name="survey_collect"),
    path("hotline/", hotline.HotlineListView.as_view(), name="hotline_list"),
    path("hotline/upload/", hotline.HotlineUploadView.as_view(), name="hotline_upload"),
    path("hotline/export/", hotline.HotlineExportView.as_view(), name="hotline_export"),
    path("hotline/<int:pk>/", hotline.HotlineBatchView.as_view(), name="hotline_batch"),
    path("hotline/<int:pk>/mapping/", hotline.HotlineMappingView.as_view(), name="hotline_mapping"),
    path("keys/", keys.ApiKeyView.as_view(), name="api_keys"),
    path("callbacks/", feedback.CallbackListView.as_view(), name="callbacks"),
    path("callbacks/<int:pk>/done/", feedback.CallbackCompleteView.as_view(), name="callback_done"),
    path("praises/<int:pk>/handle/", feedback.PraiseHandleView.as_view(), name="praise_handle"),
]
