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
        entry = {"label": item.label, "url": url, "active": active or request.path == url}
        if not item.group:
            items.append(entry)
            continue
        group = next((g for g in items if g.get("children") is not None and g["label"] == item.group), None)
        if group is None:
            group = {"label": item.group, "url": None, "active": False, "children": []}
            items.append(group)
        group["children"].append(entry)
        group["active"] = group["active"] or entry["active"]
    return {"nav_items": items, "city_name": settings.CITY_NAME, "user_scope": scope}


def map_tiles(request):
    """The base-map configuration, rendered once per page as JSON (``cc-tiles``) for every map script."""
    from chuangcheng.core.maps import tile_config

    return {"map_tiles": tile_config()}
