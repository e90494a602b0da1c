"""``{% case_exchanges case %}``: the exchange log of one case on its page (with 转派外部系统 for the office)."""

from django import template

from chuangcheng.exchange import selectors
from chuangcheng.exchange.forms import SendCaseForm
from chuangcheng.exchange.permissions import can_send_case

register = template.Library()


@register.inclusion_tag("exchange/_case_exchanges.html", takes_context=True)
def case_exchanges(context, case):
    user = context["request"].user
    can_send = can_send_case(user)
    return {
        "case": case,
        "rows": selectors.case_exchanges(case, user),
        "send_form": SendCaseForm() if can_send else None,
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }
