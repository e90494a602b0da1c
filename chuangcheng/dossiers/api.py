"""/api/v1/ for the archive: materials (upload, review, resubmit, withdraw, download, export),
assignments of requirements to units, and the completeness matrix."""

from django.http import FileResponse
from django.urls import path
from rest_framework import mixins, routers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from chuangcheng.core.api import ScopedModelViewSet, ScopedQuerysetMixin
from chuangcheng.core.errors import DomainError
from chuangcheng.dossiers import archive, selectors, services
from chuangcheng.dossiers.filters import AssignmentFilterSet, MaterialFilterSet
from chuangcheng.dossiers.models import Material, MaterialAssignment
from chuangcheng.dossiers.serializers import (
    AssignInputSerializer,
    AssignmentSerializer,
    MaterialDetailSerializer,
    MaterialSerializer,
    ResubmitInputSerializer,
    ReviewInputSerializer,
)
from chuangcheng.org.models import Unit


def archive_response(user, queryset) -> FileResponse:
    built = archive.build_archive(queryset)
    services.log_archive_export(actor=user, count=built.count, size=built.size)
    return FileResponse(built.file, as_attachment=True, filename="档案资料.zip", content_type="application/zip")


class MaterialViewSet(ScopedModelViewSet):
    """档案资料：按资料要求、单位、年度上传（按内容校验），一审/二审，退回须说明原因。"""

    queryset = Material.objects.select_related("requirement", "unit")
    serializer_class = MaterialSerializer
    filterset_class = MaterialFilterSet
    create_service = staticmethod(services.upload_material)
    delete_service = staticmethod(services.withdraw_material)
    object_arg = "material"
    http_method_names = ["get", "post", "delete", "head", "options"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("reviews__reviewer")
        return queryset

    def get_serializer_class(self):
        return MaterialDetailSerializer if self.action == "retrieve" else MaterialSerializer

    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        material = self.get_object()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        material = services.review_material(material=material, actor=request.user, **data.validated_data)
        return Response(MaterialSerializer(material, context={"request": request}).data)

    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        material = self.get_object()
        data = ResubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        material = services.resubmit_material(material=material, actor=request.user, **data.validated_data)
        return Response(MaterialSerializer(material, context={"request": request}).data)

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        material = self.get_object()
        return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.original_name)

    @action(detail=False, methods=["get"])
    def export(self, request):
        return archive_response(request.user, self.filter_queryset(self.get_queryset()))


class AssignmentViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """资料责任分解：哪些单位承担哪项资料。"""

    queryset = MaterialAssignment.objects.select_related("requirement", "unit")
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet

    def create(self, request, *args, **kwargs):
        data = AssignInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        created = services.assign_requirement(actor=request.user, **data.validated_data)
        return Response(AssignmentSerializer(created, many=True).data, status=201)

    def perform_destroy(self, instance):
        services.unassign_requirement(actor=self.request.user, assignment=instance)


def int_list(raw: str, field: str) -> list[int]:
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise DomainError("须为逗号分隔的整数", field=field) from exc


class CompletenessView(APIView):
    """完整度矩阵：条款 × 单位 × 年度，已通过的资料项 / 应报资料项。"""

    def get(self, request):
        params = request.query_params
        years = int_list(params.get("years", ""), "years") or None
        standard = None
        if params.get("standard"):
            standard = selectors.standard_by_id(int_list(params["standard"], "standard")[0])
        units = None
        if params.get("units"):
            units = Unit.objects.visible_to(request.user).filter(pk__in=int_list(params["units"], "units"))
        matrix = selectors.completeness_matrix(user=request.user, years=years, standard=standard, units=units)
        overall = matrix.overall
        return Response(
            {
                "years": matrix.years,
                "clauses": [{"id": clause_id or None, "label": label} for clause_id, label in matrix.clauses],
                "units": [{"id": unit.pk, "name": unit.name} for unit in matrix.units],
                "overall": {"required": overall.required, "approved": overall.approved, "percent": overall.percent},
                "cells": matrix.as_list(),
            }
        )


router = routers.DefaultRouter()
router.register("dossier-materials", MaterialViewSet, basename="dossier-material")
router.register("dossier-assignments", AssignmentViewSet, basename="dossier-assignment")
urlpatterns = [path("dossier-completeness/", CompletenessView.as_view(), name="dossier-completeness")]
