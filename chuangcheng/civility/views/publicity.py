"""Publicity point pages: the list and map with each point's latest state, a point's checks, a check's photo."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views import generic

from chuangcheng.civility import permissions, selectors, services
from chuangcheng.civility.filters import PointFilterSet
from chuangcheng.civility.forms import CheckForm
from chuangcheng.civility.models import PublicityCheck
from chuangcheng.civility.permissions import PAGE_ROLES
from chuangcheng.core.errors import DomainError
from chuangcheng.core.filters import bound_number_filters
from chuangcheng.core.views import RoleRequiredMixin, ScopedObjectMixin
from chuangcheng.places.views import map_config


class PointQueryMixin:
    def points(self):
        queryset = selectors.publicity_points(self.request.user)
        self.filterset = bound_number_filters(PointFilterSet(self.request.GET or None, queryset=queryset))
        if self.filterset.is_bound and self.filterset.is_valid():
            queryset = self.filterset.qs
        return queryset


class PointListView(RoleRequiredMixin, PointQueryMixin, generic.ListView):
    template_name = "civility/point_list.html"
    required_roles = PAGE_ROLES
    paginate_by = 50

    def get_queryset(self):
        return self.points()

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(**kwargs) | {"filter": self.filterset, "querystring": query.urlencode()}


class PointMapView(RoleRequiredMixin, PointQueryMixin, generic.TemplateView):
    template_name = "civility/point_map.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        points = list(self.points())
        states = {}
        for site in points:
            states[site.latest_state or ""] = states.get(site.latest_state or "", 0) + 1
        return super().get_context_data(**kwargs) | {
            "filter": self.filterset,
            "features": selectors.point_features(points),
            "map_config": map_config(self.request),
            "legend": [(label, color, states.get(key, 0)) for key, label, color in selectors.legend()],
        }


class PointDetailView(RoleRequiredMixin, generic.DetailView):
    template_name = "civility/point_detail.html"
    required_roles = ()  # scoped: no role or out of scope answers 404
    context_object_name = "site"

    def get_queryset(self):
        return selectors.publicity_points(self.request.user).select_related("area", "department")

    def get_context_data(self, **kwargs):
        site = self.object
        checks = site.publicity_checks.select_related("checked_by", "case").order_by("-checked_on", "-id")
        return super().get_context_data(**kwargs) | {
            "checks": checks,
            "can_check": permissions.can_check_point(self.request.user, site),
            "form": kwargs.get("form") or CheckForm(),
        }

    def post(self, request, *args, **kwargs):
        self.object = site = self.get_object()
        form = CheckForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.record_check(actor=request.user, site=site, **form.cleaned_data)
            except DomainError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from exc
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "检查结果已登记")
                return redirect("civility:point_detail", site.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CheckCaseView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    """POST: open a case for a failed check (once)."""

    model = PublicityCheck
    required_roles = ()  # scoped: no role or out of scope answers 404

    def post(self, request, pk):
        check = self.get_object()
        try:
            check = services.open_case_for_check(actor=request.user, check=check)
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已立案：{check.case.number}")
        return redirect("civility:point_detail", check.site_id)


class CheckPhotoView(RoleRequiredMixin, ScopedObjectMixin, generic.View):
    model = PublicityCheck
    required_roles = ()  # scoped: no role or out of scope answers 404

    def get(self, request, pk):
        check = self.get_object()
        if not check.photo:
            raise Http404("没有照片")
        return FileResponse(check.photo.open("rb"))
