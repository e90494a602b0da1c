"""/api/v1/ for 抄告单 (issue, sign, reply, close, docx) and meetings (call, attendance, decisions)."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from chuangcheng.campaigns import services
from chuangcheng.campaigns.filters import MeetingFilterSet, NoticeFilterSet
from chuangcheng.campaigns.meeting_models import Attendee, Meeting
from chuangcheng.campaigns.notice_documents import notice_docx, notice_filename
from chuangcheng.campaigns.notice_models import Notice
from chuangcheng.campaigns.people_serializers import (
    AttendanceInputSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    MeetingSerializer,
    NoticeCloseInputSerializer,
    NoticeReplyInputSerializer,
    NoticeSerializer,
)
from chuangcheng.core.api import ScopedModelViewSet
from chuangcheng.core.officialdoc import DOCX_CONTENT_TYPE


class NoticeViewSet(ScopedModelViewSet):
    """抄告单：创建办发出（按年编号），主送单位签收、回复（可附文件），创建办办结；逾期未回复自动督办。"""

    queryset = Notice.objects.select_related("unit").prefetch_related("cases").order_by("-year", "-seq")
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    create_service = staticmethod(services.issue_notice)
    http_method_names = ["get", "post", "head", "options"]

    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        notice = services.sign_notice(notice=self.get_object(), actor=request.user)
        return Response(self.get_serializer(notice).data)

    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def reply(self, request, pk=None):
        notice = self.get_object()
        data = NoticeReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.reply_notice(notice=notice, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(notice).data)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        notice = self.get_object()
        data = NoticeCloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.close_notice(notice=notice, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(notice).data)

    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        notice = self.get_object()
        response = HttpResponse(notice_docx(notice), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, notice_filename(notice))
        return response


class MeetingViewSet(ScopedModelViewSet):
    """调度会/推进会：议程、参会单位和人员、考勤（出席/迟到/请假/缺席）、议定事项（可转任务或抄告单）。"""

    queryset = (
        Meeting.objects.select_related("unit")
        .prefetch_related(Prefetch("attendees", queryset=Attendee.objects.select_related("unit")), "decisions")
        .order_by("-held_at", "-id")
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    create_service = staticmethod(services.create_meeting)
    http_method_names = ["get", "post", "head", "options"]

    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_attendance(actor=request.user, meeting=meeting, entries=data.validated_data["entries"])
        return Response(self.get_serializer(self.get_object()).data)

    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        meeting = self.get_object()
        data = DecisionInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        decision = services.add_meeting_decision(actor=request.user, meeting=meeting, **data.validated_data)
        return Response(DecisionSerializer(decision).data, status=201)
