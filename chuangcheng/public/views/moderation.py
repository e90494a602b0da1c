"""The office's moderation queue: read the original, edit the public text, redact photos, decide."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View, generic

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ScopedDetailView
from chuangcheng.places.addresses import match_address
from chuangcheng.public import casebridge, selectors
from chuangcheng.public.forms import ModerationForm
from chuangcheng.public.models import Report, ReportPhoto, ReportStatus
from chuangcheng.public.privacy import mask_phone
from chuangcheng.public.services import moderation as services

OFFICE = tuple(OFFICE_ROLES)


class ModerationQueueView(RoleRequiredMixin, generic.TemplateView):
    template_name = "public/moderation.html"
    required_roles = OFFICE

    def get_context_data(self, **kwargs):
        recent = (
            Report.objects.visible_to(self.request.user)
            .exclude(status=ReportStatus.PENDING)
            .select_related("category", "moderated_by")
            .order_by("-moderated_at")[:30]
        )
        return super().get_context_data(**kwargs) | {
            "pending": selectors.moderation_queue(self.request.user)[:200],
            "recent": recent,
        }


class ModerationDetailView(ScopedDetailView):
    model = Report
    template_name = "public/moderation_detail.html"
    required_roles = OFFICE

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("category", "area", "unit", "moderated_by", "case", "case__lead_unit")
            .prefetch_related("photos")
        )

    def get_context_data(self, **kwargs):
        report = self.object
        form = kwargs.get("form") or ModerationForm(
            initial={"public_description": report.shown_description, "lng": report.lng, "lat": report.lat}
        )
        is_pending = report.status == ReportStatus.PENDING
        return super().get_context_data(**kwargs) | {
            "form": form,
            "state": casebridge.state_of(report),
            "masked_phone": mask_phone(report.reporter_phone) if report.reporter_phone else "",
            "photos": report.photos.all(),
            "is_pending": is_pending,
            "needs_place": is_pending and report.lng is None and report.area_id is None,
            "address_match": match_address(report.address) if report.lng is None and report.address else None,
            "map_config": _map_config(report),
            "notices": report.notices.all(),
            "disputes": report.disputes.select_related("previous_case", "new_case"),
        }

    def post(self, request, *args, **kwargs):
        self.object = report = self.get_object()
        action = request.POST.get("action")
        form = ModerationForm(request.POST)
        try:
            if action == "reject":
                services.reject_report(report=report, actor=request.user, note=request.POST.get("note", ""))
                messages.success(request, "已不予受理")
            elif not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            elif action in ("accept", "place"):
                data = form.cleaned_data
                if data["lng"] is not None and (data["lng"], data["lat"]) != (report.lng, report.lat):
                    report = services.place_report(report=report, actor=request.user, lng=data["lng"], lat=data["lat"])
                    messages.success(request, "位置已保存，所在区域和属地单位已按位置更新")
                elif action == "place":
                    raise DomainError("请在地图上点选位置，或填写经度和纬度", field="lat")
                if action == "accept":
                    services.accept_report(
                        report=report,
                        actor=request.user,
                        public_description=data["public_description"],
                        note=data["note"],
                    )
                    messages.success(request, "已受理并在曝光台公开")
            elif action == "edit":
                services.edit_public_text(
                    report=report, actor=request.user, public_description=form.cleaned_data["public_description"]
                )
                messages.success(request, "公开描述已保存")
        except DomainError as exc:
            if exc.field in form.fields and form.is_bound and hasattr(form, "cleaned_data"):
                form.add_error(exc.field, exc.message)
                self.object.refresh_from_db()
                return self.render_to_response(self.get_context_data(form=form), status=exc.status_code)
            messages.error(request, exc.message)
        return redirect("public:moderation_detail", pk=report.pk)


def _map_config(report: Report) -> dict:
    """What map.js needs to show the report's point and let the office click a new one (WGS-84)."""
    lng, lat = (report.lng, report.lat) if report.lng is not None else selectors.map_center()
    pad = 0.01 if report.lng is not None else 0.05
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "tile_crs": settings.MAP_TILE_CRS,
        "bounds": [[lng - pad, lat - pad], [lng + pad, lat + pad]],
        "areas_url": reverse("area-list"),
        "point": [report.lng, report.lat] if report.lng is not None else None,
        "editable": report.status == ReportStatus.PENDING,
    }


class _PhotoMixin(RoleRequiredMixin):
    required_roles = OFFICE

    def get_photo(self, pk) -> ReportPhoto:
        reports = Report.objects.visible_to(self.request.user)
        photo = ReportPhoto.objects.select_related("report").filter(pk=pk, report__in=reports).first()
        if photo is None:
            raise Http404("图片不存在")
        return photo


class PhotoOriginalView(_PhotoMixin, View):
    """The photo as the citizen sent it (with its metadata): office eyes only."""

    def get(self, request, pk):
        photo = self.get_photo(pk)
        return FileResponse(photo.original.open("rb"), content_type="application/octet-stream")


class PhotoPreviewView(_PhotoMixin, View):
    """The current public copy, for moderators (also before acceptance)."""

    def get(self, request, pk):
        photo = self.get_photo(pk)
        response = FileResponse(photo.public_image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "no-store"
        return response


class PhotoRedactView(_PhotoMixin, View):
    def post(self, request, pk):
        photo = self.get_photo(pk)
        try:
            rectangles = json.loads(request.POST.get("rectangles") or "[]")
            services.redact_photo(photo=photo, actor=request.user, rectangles=rectangles)
        except (ValueError, DomainError) as exc:
            message = exc.message if isinstance(exc, DomainError) else "遮挡区域格式错误"
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"ok": False, "message": message}, status=422)
            messages.error(request, message)
        else:
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"ok": True})
            messages.success(request, "已更新遮挡，公开图片为处理后的版本")
        return redirect("public:moderation_detail", pk=photo.report_id)
