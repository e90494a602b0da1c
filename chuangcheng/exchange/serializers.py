from rest_framework import serializers

from chuangcheng.cases.models import CaseSource
from chuangcheng.exchange.models import Endpoint, Exchange
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, SiteCategory


class EndpointSerializer(serializers.ModelSerializer):
    """The shared secret is write-only; reads show ``secret_hint`` (its last four characters)."""

    secret_hint = serializers.CharField(source="masked_secret", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    rule_categories = serializers.PrimaryKeyRelatedField(queryset=SiteCategory.objects.all(), many=True, required=False)
    rule_areas = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), many=True, required=False)
    rule_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    rule_sources = serializers.ListField(child=serializers.ChoiceField(choices=CaseSource.choices), required=False)

    class Meta:
        model = Endpoint
        fields = (
            "id", "code", "name", "kind", "url", "secret_hint", "unit", "manual_only", "rule_categories",
            "rule_areas", "rule_units", "rule_sources", "open311_jurisdiction", "open311_api_key",
            "pull_every_minutes", "last_pulled_at", "is_active", "created_at",
        )  # fmt: skip
        read_only_fields = ("last_pulled_at", "created_at")


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True)

    class Meta(EndpointSerializer.Meta):
        fields = (*EndpointSerializer.Meta.fields, "secret")


class ExchangeSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    endpoint_code = serializers.CharField(source="endpoint.code", read_only=True, default=None)

    class Meta:
        model = Exchange
        fields = (
            "id", "direction", "kind", "endpoint", "endpoint_code", "case", "case_number", "idempotency_key",
            "payload_hash", "status", "attempts", "next_attempt_at", "response_code", "error", "created_at",
            "finished_at",
        )  # fmt: skip
        read_only_fields = fields


class HotlineOrdersSerializer(serializers.Serializer):
    orders = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=500)
