"""``{% campaign_of obj %}``: the campaign an owned object belongs to, as a link; an object without one (rows
from before campaigns that could not be attached) shows the running campaign of its unit, marked as inferred."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from chuangcheng.programs.selectors import current_campaign_for_unit

register = template.Library()


@register.simple_tag
def campaign_of(obj):
    campaign = getattr(obj, "campaign", None)
    inferred = False
    if campaign is None and getattr(obj, "unit", None) is not None:
        campaign, inferred = current_campaign_for_unit(obj.unit), True
    if campaign is None:
        return format_html('<span class="muted">{}</span>', "未归属创建活动")
    link = format_html('<a href="{}">{}</a>', reverse("programs:detail", args=[campaign.pk]), campaign.name)
    if inferred:
        return format_html('{} <span class="muted">{}</span>', link, "（按所属单位推定）")
    return link
