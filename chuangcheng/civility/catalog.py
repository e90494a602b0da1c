"""The site categories that are publicity points (``places.catalog`` codes)."""

PUBLICITY_CATEGORY_CODES = ("public_service_ad", "values_board")
