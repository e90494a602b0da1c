from django.http import HttpResponse
from rest_framework import routers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from chuangcheng.core.api import ScopedModelViewSet
from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import XLSX_CONTENT_TYPE, write_xlsx
from chuangcheng.org import services
from chuangcheng.org.filters import UnitFilterSet
from chuangcheng.org.models import Unit
from chuangcheng.org.serializers import UnitSerializer


class UnitViewSet(ScopedModelViewSet):
    """单位树：列表、详情、新增、修改、导入导出。"""

    queryset = Unit.objects.select_related("parent").order_by("path")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    create_service = staticmethod(services.create_unit)
    update_service = staticmethod(services.update_unit)
    object_arg = "unit"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser], url_path="import")
    def import_file(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("请选择要导入的文件", field="file")
        created = services.import_units(actor=request.user, data=upload.read(), filename=upload.name)
        return Response({"created": len(created)}, status=201)

    @action(detail=False, methods=["get"], url_path="export")
    def export_file(self, request):
        rows = services.export_rows(self.filter_queryset(self.get_queryset()))
        content = write_xlsx(title="单位", headers=services.UNIT_COLUMNS, rows=rows)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''units.xlsx"
        return response


router = routers.DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
