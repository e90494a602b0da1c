"""Post pages: list, create, detail (schedule, staffing a shift of a day), and today's posts with staffing."""

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from chuangcheng.core.errors import DomainError
from chuangcheng.core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView
from chuangcheng.volunteers import permissions, selectors, services
from chuangcheng.volunteers.filters import PostFilterSet
from chuangcheng.volunteers.forms import PostForm, ShiftForm, StaffForm
from chuangcheng.volunteers.models import Post
from chuangcheng.volunteers.views.common import PAGE_ROLES, FormPageMixin, raise_forbidden


class PostListView(ScopedListView):
    model = Post
    filterset_class = PostFilterSet
    template_name = "volunteers/post_list.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "site").prefetch_related("shifts")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_manage": permissions.can_manage_any(self.request.user)}


class PostCreateView(FormPageMixin, ServiceFormView):
    form_class = PostForm
    title = "新建文明交通/文明劝导岗位"
    back_name = "volunteers:post_list"
    success_message = "岗位已建立"

    def perform(self, form):
        return services.create_post(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("volunteers:post_detail", args=[self.object.pk])


class PostDetailView(ScopedDetailView):
    model = Post
    template_name = "volunteers/post_detail.html"
    required_roles = PAGE_ROLES

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "site", "area")

    def get_context_data(self, **kwargs):
        post, user = self.object, self.request.user
        return super().get_context_data(**kwargs) | {
            "shifts": post.shifts.all(),
            "recent": post.activities.order_by("-starts_at")[:20],
            "can_manage": permissions.can_manage_unit(user, post.unit_id),
            "shift_form": ShiftForm(),
            "staff_form": StaffForm(user=user),
            "today": timezone.localdate(),
        }


class PostActionView(RoleRequiredMixin, generic.View):
    """POST ``add_shift`` (a schedule line) or ``staff`` (volunteers on a shift of a day)."""

    required_roles = PAGE_ROLES

    def post(self, request, pk):
        post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
        try:
            if request.POST.get("action") == "staff":
                message, target = self._staff(request, post)
            else:
                message, target = self._add_shift(request, post), None
        except DomainError as exc:
            raise_forbidden(exc)
            messages.error(request, exc.message)
            target = None
        else:
            messages.success(request, message)
        return redirect(target or reverse("volunteers:post_detail", args=[post.pk]))

    def _add_shift(self, request, post) -> str:
        form = ShiftForm(request.POST)
        if not form.is_valid():
            raise DomainError("；".join(e for errs in form.errors.values() for e in errs), field="weekdays")
        services.add_post_shift(actor=request.user, post=post, **form.cleaned_data)
        return "班次已添加"

    def _staff(self, request, post):
        form = StaffForm(request.POST, user=request.user)
        day = request.POST.get("day", "").strip()
        if not form.is_valid():
            raise DomainError("请选择上岗志愿者", field="volunteers")
        shift = get_object_or_404(post.shifts.all(), pk=form.cleaned_data["shift"])
        try:
            day = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            raise DomainError("日期格式不正确", field="day") from None
        activity = services.staff_shift(
            actor=request.user, shift=shift, day=day, volunteers=form.cleaned_data["volunteers"]
        )
        return "已排班", reverse("volunteers:activity_detail", args=[activity.pk])


class PostsTodayView(RoleRequiredMixin, generic.TemplateView):
    template_name = "volunteers/posts_today.html"
    required_roles = PAGE_ROLES

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rows = selectors.posts_today(self.request.user, today)
        return super().get_context_data(**kwargs) | {
            "today": today,
            "rows": rows,
            "staffed": sum(1 for row in rows if row.state[0] == "已到岗"),
        }
