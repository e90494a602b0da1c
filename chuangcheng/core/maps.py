"""Base-map configuration shared by every map (Leaflet in static/js): a tile URL template, its subdomains, an
optional label overlay, attribution and the tile coordinate system. Tiles are configuration, never fetched by
the server; with nothing configured every map draws areas and points on a plain background and says so."""

from __future__ import annotations

from django.conf import settings

NO_TILES = "未配置在线底图：地图只显示区域边界和点位（底图由系统管理员配置，可使用天地图密钥）"


def tile_config() -> dict:
    """What static/js/app.js's ``CC.baseLayers`` needs; ``url`` empty means no base map."""
    return {
        "url": settings.MAP_TILE_URL,
        "subdomains": getattr(settings, "MAP_TILE_SUBDOMAINS", "") or "abc",
        "label_url": getattr(settings, "MAP_TILE_LABEL_URL", ""),
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "crs": settings.MAP_TILE_CRS,
        "fallback": NO_TILES,
    }
