"""Factories for exchange rows. Endpoints in tests are made through ``services.endpoints.create_endpoint``
(it creates the system account); ``EndpointFactory`` makes a bare row for tests that need no account."""

import factory

from chuangcheng.exchange.models import Direction, Endpoint, EndpointKind, Exchange, ExchangeKind, ExchangeStatus


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endpoint
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"ep{n}")
    name = factory.Sequence(lambda n: f"对接系统{n}")
    kind = EndpointKind.CITY_MGMT
    url = "http://127.0.0.1:9/cases"
    secret = factory.Sequence(lambda n: f"test-secret-{n:016d}")


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    direction = Direction.OUT
    kind = ExchangeKind.PUSH
    endpoint = factory.SubFactory(EndpointFactory)
    idempotency_key = factory.Sequence(lambda n: f"WT2026-{n:06d}")
    payload = factory.LazyAttribute(lambda row: {"case_number": row.idempotency_key})
    payload_hash = "0" * 64
    status = ExchangeStatus.PENDING
