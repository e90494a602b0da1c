"""Case settings with defaults; a deployment overrides any of them in Django settings.

The deadline defaults are configuration, not facts from a standard: the office
edits them per category/severity as ``DeadlineRule`` rows, and a check item's own
``deadline_days`` wins over both.
"""

from django.conf import settings

DEFAULTS = {
    # Rectification limit by severity when neither the check item nor a rule says otherwise.
    "CASE_DEFAULT_DEADLINE_DAYS": {"serious": 3, "normal": 7, "minor": 10},
    # Working-day limit of each waiting state (受理, 派遣, 签收, 改派/仲裁, 核查).
    "CASE_STATE_LIMIT_DAYS": {"reported": 1, "registered": 1, "dispatched": 1, "returned": 2, "submitted": 3},
    "CASE_PHOTO_MAX_BYTES": 10 * 1024 * 1024,
    "CASE_PHOTO_MAX_DISTANCE_M": 300,
    "CASE_DUPLICATE_RADIUS_M": 100,
    # A new case is a rebound of one closed within these days, at the same site or within this distance.
    "CASE_REBOUND_DAYS": 30,
    "CASE_REBOUND_RADIUS_M": 50,
    # Before/after photos this close in perceptual hash (bits of 64) count as the same picture.
    "CASE_PHOTO_SIMILAR_BITS": 6,
    # Sources whose cases a verifier may close only with an on-site photo of their own (e.g. ["citizen"]):
    # the deployment default; the office sets it per source on the deadline rules page (``SourcePolicy``).
    "CASES_VERIFY_PHOTO_SOURCES": (),
    "CASE_ESCALATE_AFTER_SENDBACKS": 3,
    "CASE_ESCALATE_AFTER_RETURNS": 3,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
