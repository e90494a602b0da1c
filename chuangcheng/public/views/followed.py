"""Which report numbers this browser has proven it may follow (number + follow code, checked by POST).

The code itself is never put in a URL, a redirect or a page: after one successful check the number is kept in
the session for ``FOLLOW_SECONDS``, and the tracking page, disputes and ratings read it from there."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.urls import reverse

from chuangcheng.public import selectors

SESSION_KEY = "cc_followed"
FOLLOW_SECONDS = 2 * 3600
MAX_NUMBERS = 20


def remember(request, number: str) -> None:
    now = time.time()
    kept = {n: until for n, until in request.session.get(SESSION_KEY, {}).items() if until > now}
    kept[number] = now + FOLLOW_SECONDS
    request.session[SESSION_KEY] = dict(sorted(kept.items(), key=lambda item: item[1])[-MAX_NUMBERS:])


def report(request, number: str):
    """The report if this session verified its number recently; else None."""
    until = request.session.get(SESSION_KEY, {}).get(number or "")
    if not until or until < time.time():
        return None
    return selectors.public_followable(number)


def url(number: str, **extra) -> str:
    return f"{reverse('public:follow')}?{urlencode({'number': number, **extra})}"


def report_from_post(request):
    """The report a POST acts on: its number verified in this session, or number + code in the body (which is
    then remembered). None when neither holds."""
    number = (request.POST.get("number") or "").strip().upper()
    found = report(request, number)
    if found is None and request.POST.get("code"):
        found = selectors.find_for_follow(number, request.POST.get("code", ""))
        if found is not None:
            remember(request, found.number)
    return found
