"""Every write to areas, sites and site categories (re-exported here by sub-domain)."""

from chuangcheng.places.services.areas import create_area, reassign_site_areas, update_area
from chuangcheng.places.services.categories import load_site_categories
from chuangcheng.places.services.divisions import load_divisions
from chuangcheng.places.services.imports import (
    SITE_COLUMNS,
    export_site_rows,
    import_areas_geojson,
    import_sites,
)
from chuangcheng.places.services.sites import create_site, update_site

__all__ = [
    "SITE_COLUMNS",
    "create_area",
    "create_site",
    "export_site_rows",
    "import_areas_geojson",
    "import_sites",
    "load_divisions",
    "load_site_categories",
    "reassign_site_areas",
    "update_area",
    "update_site",
]
