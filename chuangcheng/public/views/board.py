"""The exposure board (曝光台): accepted problems with photos, place, responsible unit and status."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from chuangcheng.places.models import SiteCategory
from chuangcheng.public import casebridge, selectors


def _rows(reports):
    return [(report, casebridge.state_of(report)) for report in reports]


def board(request):
    reports = selectors.public_reports()
    category = request.GET.get("category") or ""
    if category.isdigit():
        reports = reports.filter(category_id=int(category))
    status = request.GET.get("status") or ""
    if status == "open":
        reports = reports.filter(casebridge.open_q())
    elif status == "closed":
        reports = reports.exclude(casebridge.open_q())
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_obj": page,
        "rows": _rows(page.object_list),
        "categories": SiteCategory.objects.order_by("sort_order", "code"),
        "category": category,
        "status": status,
        "querystring": query.urlencode(),
    }
    return render(request, "public/board.html", context)


def board_detail(request, number):
    report = selectors.public_reports().filter(number=number).first()
    if report is None:
        raise Http404("问题不存在或尚未公开")
    context = {"report": report, "state": casebridge.state_of(report), "closure": casebridge.public_closure(report)}
    return render(request, "public/board_detail.html", context)


class BoardFeed(Feed):
    title = "曝光台 · 市民反映问题整改情况"
    description = "审核通过公开的市民随手拍问题及其整改状态"

    def link(self):
        return reverse("public:board")

    def items(self):
        return selectors.public_reports()[:50]

    def item_title(self, item):
        return f"【{casebridge.state_of(item).label}】{item.category.name} · {item.address or item.number}"

    def item_description(self, item):
        state = casebridge.state_of(item)
        unit = f"责任单位：{state.responsible}。" if state.responsible else ""
        return f"{item.shown_description}\n{unit}当前状态：{state.label}。"

    def item_link(self, item):
        return reverse("public:board_detail", args=[item.number])

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return casebridge.state_of(item).updated_at or item.updated_at

    def item_guid(self, item):
        return item.number

    item_guid_is_permalink = False


class BoardAtomFeed(BoardFeed):
    feed_type = Atom1Feed
    subtitle = BoardFeed.description
