from django.conf import settings
from django.views import generic

from chuangcheng.core.views import RoleRequiredMixin
from chuangcheng.dashboard import selectors
from chuangcheng.readiness.permissions import sees_countdown
from chuangcheng.readiness.selectors import upcoming_windows


class DashboardView(RoleRequiredMixin, generic.TemplateView):
    """指挥中心：figures rendered at once; the map loads its GeoJSON from the API."""

    required_roles = selectors.DASHBOARD_ROLES
    template_name = "dashboard/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        reach = selectors.reach_of(user, self.request.GET.get("unit"))
        data = selectors.dashboard_data(reach)
        query = f"?unit={reach.unit.pk}" if reach.unit else ""
        context.update(
            data=data,
            query=query,
            countdowns=upcoming_windows(user)[:2] if sees_countdown(user) else [],
            tile_url=settings.MAP_TILE_URL,
            tile_attribution=settings.MAP_TILE_ATTRIBUTION,
        )
        return context


class BigScreenView(DashboardView):
    template_name = "dashboard/bigscreen.html"


class LevelsView(RoleRequiredMixin, generic.TemplateView):
    """各级对比: the units just below the user's jurisdiction side by side (a province's cities, a city's
    districts and counties, a county's towns), from the pre-aggregated tables."""

    required_roles = selectors.DASHBOARD_ROLES
    template_name = "dashboard/levels.html"

    def get_context_data(self, **kwargs):
        from chuangcheng.core.scoping import scope_of
        from chuangcheng.dashboard.rollup import comparison_roots, province_comparison

        user = self.request.user
        scope = scope_of(user)
        roots = comparison_roots(scope)
        return super().get_context_data(**kwargs) | {
            "rows": province_comparison(scope, user=user),
            "roots": roots,
        }
