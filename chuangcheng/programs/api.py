from drf_spectacular.utils import extend_schema
from rest_framework import routers
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.core.api import ScopedModelViewSet
from chuangcheng.programs import selectors, services
from chuangcheng.programs.filters import CampaignFilterSet
from chuangcheng.programs.serializers import CampaignSerializer, CloseSerializer


class CampaignViewSet(ScopedModelViewSet):
    """创建活动：各级（市、区县、街道乡镇、社区村）的创卫、创文等活动；督查、方案、考核、迎检都归属于活动。"""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    create_service = staticmethod(services.create_campaign)
    update_service = staticmethod(services.update_campaign)
    object_arg = "campaign"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def perform_update(self, serializer):
        # a full PUT repeats the fixed code and unit: drop them when unchanged, the service refuses real changes
        data = dict(serializer.validated_data)
        for name in ("code", "unit"):
            if name in data and data[name] == getattr(serializer.instance, name):
                data.pop(name)
        serializer.instance = services.update_campaign(campaign=serializer.instance, actor=self.request.user, **data)

    def get_queryset(self):
        # campaign_list applies visible_to(user) and annotates the owned counts in the same query
        return selectors.campaign_list(self.request.user)

    @extend_schema(request=CloseSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.close_campaign(
            campaign=self.get_object(), actor=request.user, ends_on=data.validated_data.get("ends_on")
        )
        return Response(CampaignSerializer(campaign).data)


router = routers.DefaultRouter()
router.register("programs", CampaignViewSet, basename="program")
