import django_filters

from chuangcheng.exchange.models import Direction, Exchange, ExchangeKind, ExchangeStatus


class ExchangeFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(label="方向", choices=Direction.choices)
    kind = django_filters.ChoiceFilter(label="类型", choices=ExchangeKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=ExchangeStatus.choices)
    endpoint = django_filters.NumberFilter(label="对接系统", field_name="endpoint_id")
    case_number = django_filters.CharFilter(label="案件编号", field_name="case__number")
    key = django_filters.CharFilter(label="幂等键", field_name="idempotency_key")

    class Meta:
        model = Exchange
        fields = ("direction", "kind", "status", "endpoint", "case_number", "key")
