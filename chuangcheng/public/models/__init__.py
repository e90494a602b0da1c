from chuangcheng.public.models.feedback import (
    CallbackOutcome,
    CallbackStatus,
    CallbackTask,
    HandlingRating,
    PointsEntry,
    Praise,
    PraiseStatus,
    RatingLevel,
)
from chuangcheng.public.models.hotline import BatchStatus, HotlineBatch, HotlineOrder
from chuangcheng.public.models.notices import NoticeEvent, NoticeStatus, ReportDispute, ReporterNotice
from chuangcheng.public.models.reports import ApiKey, Report, ReportChannel, ReportPhoto, ReportStatus
from chuangcheng.public.models.surveys import (
    Answer,
    Indicator,
    Question,
    QuestionKind,
    Survey,
    SurveyQuota,
    SurveyResponse,
    SurveyStatus,
)

__all__ = [
    "CallbackOutcome",
    "CallbackStatus",
    "CallbackTask",
    "HandlingRating",
    "PointsEntry",
    "Praise",
    "PraiseStatus",
    "RatingLevel",
    "Answer",
    "ApiKey",
    "BatchStatus",
    "HotlineBatch",
    "HotlineOrder",
    "Indicator",
    "NoticeEvent",
    "NoticeStatus",
    "Question",
    "QuestionKind",
    "Report",
    "ReportChannel",
    "ReportDispute",
    "ReportPhoto",
    "ReportStatus",
    "ReporterNotice",
    "Survey",
    "SurveyQuota",
    "SurveyResponse",
    "SurveyStatus",
]
