"""Page base classes. Every list and detail page goes through ``visible_to``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import generic

from chuangcheng.core.errors import DomainError, ValidationFailed
from chuangcheng.core.filters import bound_number_filters
from chuangcheng.core.forms import ImportForm
from chuangcheng.core.params import BadParameter
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.tabular import ImportFailed


class RoleRequiredMixin(LoginRequiredMixin):
    """Restrict a page to users holding one of ``required_roles`` (empty: any signed-in user)."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_roles and not scope_of(request.user).has_role(*self.required_roles):
            raise PermissionDenied("您的角色无权访问此页面")
        try:
            return super().dispatch(request, *args, **kwargs)
        except BadParameter as exc:
            return render(request, "core/bad_request.html", {"message": exc.message}, status=400)


class ScopedQuerysetMixin:
    model = None

    def get_queryset(self):
        base = super().get_queryset() if hasattr(super(), "get_queryset") else self.model.objects.all()
        return base.visible_to(self.request.user)


class ScopedListView(RoleRequiredMixin, ScopedQuerysetMixin, generic.ListView):
    """A filtered, paginated list: ``filterset_class`` is shared with the API."""

    filterset_class = None
    paginate_by = 50

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = bound_number_filters(
                self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            )
            if self.filterset.is_bound and self.filterset.is_valid():
                queryset = self.filterset.qs
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class ScopedDetailView(RoleRequiredMixin, ScopedQuerysetMixin, generic.DetailView):
    pass


class ServiceFormView(RoleRequiredMixin, generic.FormView):
    """A form whose valid data is handed to a service; domain errors land on the form.

    Subclasses implement ``perform(form)`` returning the changed object and may
    set ``success_message``.
    """

    success_message = "已保存"

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationFailed as exc:
            for field_name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field_name if field_name in form.fields else None, error)
            return self.form_invalid(form)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class ScopedObjectMixin:
    """Fetch ``self.object`` through ``visible_to``; 404 when out of scope."""

    model = None

    def get_object(self):
        queryset = self.model.objects.visible_to(self.request.user)
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist as exc:
            raise Http404("对象不存在或无权访问") from exc


class TabularImportView(RoleRequiredMixin, generic.View):
    """Upload → ``run(upload)`` (a service) → itemised report; nothing is imported on any error.

    Subclasses set ``title``, ``columns``, ``required`` (what the page says is mandatory), ``back`` (the
    list's url name) and ``success`` (a message with ``{count}``), and may override ``succeeded``.
    """

    template_name = "core/import.html"
    form_class = ImportForm
    file_label = "文件（.xlsx 或 .csv）"
    title = required = success = back = ""
    columns: tuple = ()

    def make_form(self, *args):
        form = self.form_class(*args)
        form.fields["file"].label = self.file_label
        return form

    def run(self, upload):
        raise NotImplementedError

    def succeeded(self, request, created):
        messages.success(request, self.success.format(count=len(created)))
        return redirect(self.back)

    def get(self, request):
        return render(request, self.template_name, self._context(self.make_form()))

    def post(self, request):
        form = self.make_form(request.POST, request.FILES)
        report = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created = self.run(upload)
            except ImportFailed as exc:
                report = exc.report
                form.add_error("file", exc.message)
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return self.succeeded(request, created)
        return render(request, self.template_name, self._context(form, report), status=400)

    def _context(self, form, report=None):
        return {
            "form": form,
            "report": report,
            "title": self.title,
            "columns": self.columns,
            "back_url": reverse(self.back),
            "required": self.required,
        }


class DetailFormPostMixin:
    """A detail page that also takes one form by POST (a progress report, a signed scan): the form goes to
    ``perform(form)`` (a service call); a refusal for the role answers 403, any other domain error lands on
    the form, success redirects back to the page with ``success_message``.

    Subclasses set ``post_form_class`` and ``success_message`` and implement ``perform``; the page's
    ``get_context_data`` reads the bound form from ``kwargs["form"]`` when re-rendering.
    """

    post_form_class = None
    success_message = "已保存"

    def perform(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.post_form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.perform(form)
            except DomainError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from exc
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, self.success_message)
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)
