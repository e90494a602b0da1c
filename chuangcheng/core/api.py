"""DRF base classes: scoped viewsets whose writes go through services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from chuangcheng.core.errors import DomainError


def exception_handler(exc, context):
    """Map domain errors to 4xx responses with a Chinese ``detail`` and the field at fault."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("对象不存在或无权访问")
    return drf_exception_handler(exc, context)


class ScopedQuerysetMixin:
    """``get_queryset`` always applies ``visible_to(request.user)``."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class ScopedReadOnlyModelViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """CRUD over a scoped queryset; create/update/delete call services.

    Subclasses set ``create_service`` (called as ``service(actor=..., **data)``),
    ``update_service`` (``service(<object_arg>=obj, actor=..., **data)``) and
    ``delete_service`` (``service(<object_arg>=obj, actor=...)``) with
    ``object_arg`` naming the service's keyword for the object.
    """

    create_service = None
    update_service = None
    delete_service = None
    object_arg = "instance"

    def _service(self, name):
        service = getattr(self, name)
        if service is None:
            raise exceptions.MethodNotAllowed(self.request.method)
        return service.__func__ if hasattr(service, "__func__") else service

    def perform_create(self, serializer):
        service = self._service("create_service")
        serializer.instance = service(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        service = self._service("update_service")
        serializer.instance = service(
            **{self.object_arg: serializer.instance}, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        service = self._service("delete_service")
        service(**{self.object_arg: instance}, actor=self.request.user)


BIGINT_RANGE = range(-(2**63), 2**63)


class FetchedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key naming an object read by a ``core.fetch.Select`` (on the hottest write paths, where a
    queryset's compilation costs more than the query): the same answers and errors as
    ``PrimaryKeyRelatedField``, the object with the select's related objects loaded."""

    def __init__(self, *, select, **kwargs):
        self.select = select
        super().__init__(queryset=select.model._default_manager.all(), **kwargs)

    def to_internal_value(self, data):
        pk_field = self.select.model._meta.pk
        try:
            if isinstance(data, bool):
                raise TypeError
            pk = pk_field.to_python(data)
        except (DjangoValidationError, TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        found = None
        if pk is not None and (not isinstance(pk, int) or pk in BIGINT_RANGE):
            found = self.select.first(f"{self.select.col(pk_field.name)} = %s", [pk])
        if found is None:
            self.fail("does_not_exist", pk_value=data)
        return found
