from django.conf import settings
from django.urls import NoReverseMatch, reverse

from chuangcheng.core.nav import NAV
from chuangcheng.core.scoping import scope_of


def navigation(request):
    """Navigation entries for the user's roles; unbuilt pages are listed as disabled."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "city_name": settings.CITY_NAME}
    scope = scope_of(user)
    items = []
    for item in NAV:
        if not scope.has_role(*item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            url = None
        active = bool(url) and url != "/" and request.path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active or request.path == url})
    return {"nav_items": items, "city_name": settings.CITY_NAME, "user_scope": scope}
