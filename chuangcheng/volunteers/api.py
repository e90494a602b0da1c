"""/api/v1/ for volunteers: volunteers, teams, activities (with sign-up, sign-in/out), participations
(with hour corrections) and posts. Reads are scoped; writes go through the services."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from rest_framework import routers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.core.api import ScopedQuerysetMixin, ScopedReadOnlyModelViewSet
from chuangcheng.volunteers import services
from chuangcheng.volunteers.filters import (
    ActivityFilterSet,
    ParticipationFilterSet,
    PostFilterSet,
    TeamFilterSet,
    VolunteerFilterSet,
)
from chuangcheng.volunteers.models import Activity, Participation, Post, Team, Volunteer
from chuangcheng.volunteers.selectors import volunteers_with_hours
from chuangcheng.volunteers.serializers import (
    ActivityInputSerializer,
    ActivitySerializer,
    CorrectionSerializer,
    ParticipationSerializer,
    PostSerializer,
    TeamSerializer,
    VolunteerInputSerializer,
    VolunteerRefSerializer,
    VolunteerSerializer,
)


class VolunteerViewSet(ScopedQuerysetMixin, viewsets.mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """志愿者：列表、详情、登记（身份证号只存脱敏号码和校验值，重复登记被拒绝）。"""

    queryset = volunteers_with_hours(Volunteer.objects.select_related("unit")).order_by("unit__path", "name", "id")
    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilterSet

    def get_serializer_class(self):
        return VolunteerInputSerializer if self.action == "create" else VolunteerSerializer

    def create(self, request, *args, **kwargs):
        data = VolunteerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        volunteer = services.register_volunteer(actor=request.user, **data.validated_data)
        return Response(VolunteerSerializer(volunteer).data, status=status.HTTP_201_CREATED)


class TeamViewSet(ScopedReadOnlyModelViewSet):
    """志愿服务队：列表、详情（队长、队员）。"""

    queryset = (
        Team.objects.select_related("unit").prefetch_related("members").annotate(n=Count("members")).order_by("name")
    )
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet


class ActivityViewSet(ScopedQuerysetMixin, viewsets.mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """志愿服务活动：列表、详情、发布；报名、签到、签退。"""

    queryset = Activity.objects.select_related("unit").order_by("-starts_at", "-id")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet

    def get_serializer_class(self):
        if self.action == "create":
            return ActivityInputSerializer
        if self.action in ("sign_up", "check_in", "check_out"):
            return VolunteerRefSerializer
        return ActivitySerializer

    def create(self, request, *args, **kwargs):
        data = ActivityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.create_activity(actor=request.user, **data.validated_data)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    def _ref(self, request, activity):
        data = VolunteerRefSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        joined = activity.participations.filter(volunteer_id=data.validated_data["volunteer"]).first()
        volunteer = (
            joined.volunteer
            if joined
            else get_object_or_404(Volunteer.objects.visible_to(request.user), pk=data.validated_data["volunteer"])
        )
        return volunteer, data.validated_data.get("at")

    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        activity = self.get_object()
        volunteer, _ = self._ref(request, activity)
        row = services.sign_up(actor=request.user, activity=activity, volunteer=volunteer)
        return Response(ParticipationSerializer(row).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        activity = self.get_object()
        volunteer, at = self._ref(request, activity)
        row = services.check_in(actor=request.user, activity=activity, volunteer=volunteer, at=at)
        return Response(ParticipationSerializer(row).data)

    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        activity = self.get_object()
        volunteer, at = self._ref(request, activity)
        row = services.check_out(actor=request.user, activity=activity, volunteer=volunteer, at=at)
        return Response(ParticipationSerializer(row).data)


class ParticipationViewSet(ScopedReadOnlyModelViewSet):
    """参与记录（报名、签到、签退、时长）；核定时长须填写理由。"""

    queryset = Participation.objects.select_related("volunteer").order_by("-signed_up_at", "-id")
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilterSet

    def get_serializer_class(self):
        return CorrectionSerializer if self.action == "correct" else ParticipationSerializer

    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        row = self.get_object()
        data = CorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.correct_hours(actor=request.user, participation=row, **data.validated_data)
        return Response(ParticipationSerializer(row).data)


class PostViewSet(ScopedReadOnlyModelViewSet):
    """文明交通/文明劝导岗位及其班次。"""

    queryset = Post.objects.select_related("unit").prefetch_related("shifts").order_by("name")
    serializer_class = PostSerializer
    filterset_class = PostFilterSet


router = routers.DefaultRouter()
router.register("volunteers", VolunteerViewSet, basename="volunteer")
router.register("volunteer-teams", TeamViewSet, basename="volunteer-team")
router.register("volunteer-activities", ActivityViewSet, basename="volunteer-activity")
router.register("volunteer-participations", ParticipationViewSet, basename="volunteer-participation")
router.register("volunteer-posts", PostViewSet, basename="volunteer-post")
