"""Pages over the same selectors, filters, services and permission predicates as the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.views import generic

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.cases import deadlines, selectors, services
from chuangcheng.cases.conf import setting
from chuangcheng.cases.effects import verify_photo_required
from chuangcheng.cases.evidence import FLAG_LABELS
from chuangcheng.cases.filters import CaseFilterSet
from chuangcheng.cases.forms import CaseReportForm
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.models.cases import OPEN_STATUSES
from chuangcheng.cases.permissions import can_manage_rules, can_see_original_photos
from chuangcheng.cases.serializers import action_label
from chuangcheng.cases.workflow import Action, allowed_actions
from chuangcheng.core.filters import narrows
from chuangcheng.core.pagination import KnownCount
from chuangcheng.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from chuangcheng.org.models import Unit

# Which extra input each action's form needs on the detail page.
ACTION_INPUTS = {
    Action.INVALIDATE: ("note_required",),
    Action.RETURN: ("note_required",),
    Action.SEND_BACK: ("note_required",),
    Action.REJECT_EXTENSION: ("note_required",),
    Action.REJECT_DEFERRAL: ("note_required",),
    Action.REROUTE: ("lead_unit",),
    Action.DISPATCH: ("lead_unit_optional",),
    Action.REQUEST_EXTENSION: ("days",),
    Action.REQUEST_DEFERRAL: ("plan",),
    Action.SUBMIT: ("evidence",),
    Action.VERIFY: ("verify_photo",),
    Action.MERGE: ("target",),
}
DANGER = {Action.INVALIDATE, Action.RETURN, Action.SEND_BACK, Action.REJECT_EXTENSION, Action.REJECT_DEFERRAL}


def with_clocks(cases):
    return deadlines.clocks(cases)


class CaseListView(ScopedListView):
    """问题整改台账: filters shared with the API and the xlsx export."""

    model = Case
    filterset_class = CaseFilterSet
    template_name = "cases/case_list.html"
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("lead_unit", "category", "site").order_by("-id")

    def paginate_queryset(self, queryset, page_size):
        """The unfiltered ledger's total is ``selectors.visible_count`` (exact, from indexes) instead of a
        ``COUNT(*)`` reading every page of the scope's cases."""
        if not narrows(self.filterset):
            queryset = KnownCount(queryset, selectors.visible_count(self.request.user))
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with_clocks(context["object_list"])
        context["is_office"] = can_manage_rules(self.request.user)
        return context


class CaseDetailView(ScopedDetailView):
    model = Case
    template_name = "cases/case_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("lead_unit", "category", "site", "area", "check_item", "rebound_of", "merged_into")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        case.clock = deadlines.clock(case)
        labels = dict(CaseStatus.choices)
        context["timeline"] = [
            (row, action_label(row.action), labels.get(row.from_status, "—"), labels.get(row.to_status, ""))
            for row in case.transitions.select_related("actor_unit").order_by("id")
        ]
        office = can_see_original_photos(user)
        photos = list(case.photos.order_by("kind", "attempt", "id"))
        for photo in photos:
            photo.shown = photo.image if office else photo.public_image
            photo.flag_labels = [FLAG_LABELS.get(f, f) for f in photo.flags]
        context["photos"] = photos
        context["show_exif"] = office
        context["actions"] = [
            {"value": a.value, "label": a.label, "inputs": ACTION_INPUTS.get(a, ()), "danger": a in DANGER}
            for a in (Action(x) for x in allowed_actions(user, case))
        ]
        context["verify_photo_required"] = verify_photo_required(case)
        context["can_mark_rebound"] = can_manage_rules(user)
        context["rebound_days"] = setting("CASE_REBOUND_DAYS")
        context["rebound_radius"] = setting("CASE_REBOUND_RADIUS_M")
        context["cooperating"] = list(case.cooperating_units.all())
        context["units"] = Unit.objects.visible_to(user).filter(is_active=True).order_by("path")
        context["can_assign"] = can_manage_rules(user) and case.status in (
            CaseStatus.REPORTED,
            CaseStatus.REGISTERED,
        )
        if context["can_assign"] or case.status == CaseStatus.REPORTED:
            context["duplicates"] = selectors.duplicate_candidates(
                category_id=case.category_id, lng=case.lng, lat=case.lat, exclude_pk=case.pk, user=user
            )
        context["point"] = (
            {
                "lng": case.lng,
                "lat": case.lat,
                "title": case.title,
                # The case's grid, drawn for orientation when no map tiles are configured.
                "area": case.area.geometry if case.area_id else None,
                "area_name": case.area.name if case.area_id else "",
            }
            if case.lng is not None
            else None
        )
        context["tile_url"] = settings.MAP_TILE_URL
        return context


class InboxView(RoleRequiredMixin, generic.TemplateView):
    """A unit's inbox: 待签收/整改中/即将超期/已超期/待核查, most urgent first."""

    template_name = "cases/inbox.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tab = self.request.GET.get("tab", "to_sign")
        tabs = dict(selectors.INBOX_TABS)
        if tab not in tabs:
            tab = "to_sign"
        counts = selectors.inbox_counts(self.request.user)
        context["tabs"] = [(key, label, counts.get(key, 0)) for key, label in selectors.INBOX_TABS]
        context["tab"] = tab
        context["cases"] = with_clocks(list(selectors.unit_inbox(self.request.user, tab)[:200]))
        context["can_bulk_sign"] = tab == "to_sign"
        return context


class VerifyQueueView(RoleRequiredMixin, generic.TemplateView):
    """待核查: the cases an inspector (or the office) may verify now, longest waiting first."""

    template_name = "cases/verify_queue.html"
    required_roles = (*OFFICE_ROLES, Role.INSPECTOR)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = selectors.verify_queue(self.request.user)
        context["count"] = queryset.count()
        context["cases"] = with_clocks(list(queryset[:200]))
        return context


class DispatchConsoleView(RoleRequiredMixin, generic.TemplateView):
    """The office's console: new reports, the unrouted queue, routed cases to dispatch, returns, requests."""

    template_name = "cases/dispatch.html"
    required_roles = tuple(OFFICE_ROLES)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queues = selectors.dispatch_queues(self.request.user)
        labels = {
            "reported": "待受理（新上报）",
            "unrouted": "待分派（无匹配规则）",
            "routed": "待派遣（已匹配单位）",
            "returned": "被退回（待改派或仲裁）",
            "requests": "延期/挂账申请",
        }
        context["queues"] = [(key, labels[key], with_clocks(list(qs[:100])), qs.count()) for key, qs in queues.items()]
        context["units"] = Unit.objects.visible_to(self.request.user).filter(is_active=True).order_by("path")
        return context


class CaseMapView(RoleRequiredMixin, generic.TemplateView):
    template_name = "cases/case_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cases = with_clocks(
            list(
                Case.objects.visible_to(self.request.user)
                .filter(status__in=OPEN_STATUSES, lng__isnull=False)
                .select_related("lead_unit")
                .order_by("-id")[:3000]
            )
        )
        context["points"] = [
            {
                "lng": c.lng,
                "lat": c.lat,
                "title": f"{c.number} {c.title}",
                "status": c.get_status_display(),
                "unit": c.lead_unit.name if c.lead_unit_id else "待分派",
                "light": c.clock.light or "gray",
                "url": reverse("cases:detail", args=[c.pk]),
            }
            for c in cases
        ]
        context["tile_url"] = settings.MAP_TILE_URL
        return context


class CaseCreateView(ServiceFormView):
    form_class = CaseReportForm
    template_name = "cases/case_form.html"
    success_message = ""

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        photos = data.pop("photos", [])
        case = services.create_case(actor=self.request.user, photos=photos, **data)
        duplicates = selectors.duplicate_candidates(
            category_id=case.category_id, lng=case.lng, lat=case.lat, exclude_pk=case.pk, user=self.request.user
        )
        text = f"已上报，案件编号 {case.number}"
        if duplicates:
            text += f"；附近有 {len(duplicates)} 件同类未办结问题，可能重复：" + "、".join(d.number for d in duplicates)
        messages.success(self.request, text)
        return case

    def get_success_url(self):
        return reverse("cases:detail", args=[self.object.pk])
