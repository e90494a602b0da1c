"""The only module that reads os.environ.

Every setting that can vary between machines is read here, typed, with a
development default. Secrets for development are generated into ``var/`` on
first use and never committed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHUANGCHENG_VAR_DIR", BASE_DIR / "var"))


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def get_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def get_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [part.strip() for part in raw.split(",") if part.strip()]


def secret_key() -> str:
    """SECRET_KEY from the environment, else a key generated once into var/."""
    value = os.environ.get("SECRET_KEY")
    if value:
        return value
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def audit_key() -> str:
    """AUDIT_HMAC_KEY from the environment, else a key generated once into var/ (written atomically, so
    processes starting together agree on it). It signs audit rows and the audit chain's checkpoint."""
    value = os.environ.get("AUDIT_HMAC_KEY")
    if value:
        return value
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "audit_key"
    if not path.exists():
        draft = VAR_DIR / f".audit_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def database() -> dict:
    """DATABASES['default'] from DATABASE_URL, else the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "chuangcheng.sqlite3"),
            "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        config = _postgres(parsed)
        test_name = os.environ.get("TEST_DATABASE_NAME")
        if test_name:
            config["TEST"] = {"NAME": test_name}
        return config
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path) or ":memory:"}
    raise ValueError(f"Unsupported DATABASE_URL scheme: {parsed.scheme}")


def replica_database() -> dict | None:
    """DATABASES['replica'] from DATABASE_REPLICA_URL (a streaming read replica of DATABASE_URL), else None.

    Reports and dashboards read from it (``config.db_router``); tests use the primary as its mirror.
    """
    url = os.environ.get("DATABASE_REPLICA_URL", "")
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"Unsupported DATABASE_REPLICA_URL scheme: {parsed.scheme}")
    return _postgres(parsed) | {"TEST": {"MIRROR": "default"}}


def _postgres(parsed) -> dict:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "chuangcheng",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": get_int("DB_CONN_MAX_AGE", 60),
        # a kept connection is checked before reuse, so the first request after a database restart works
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = get_bool("DEBUG", False)
ALLOWED_HOSTS = get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = get_list("CSRF_TRUSTED_ORIGINS", [])
REDIS_URL = get_str("REDIS_URL", "")
CELERY_BROKER_URL = get_str("CELERY_BROKER_URL", REDIS_URL)
# Without a broker, tasks run eagerly in-process (the embedded default).
CELERY_EAGER = get_bool("CELERY_EAGER", not CELERY_BROKER_URL)
AUDIT_SEAL_DELAY_MS = get_int("AUDIT_SEAL_DELAY_MS", 200)  # see audit/sealer.py
# Prepared statements for the Open311 lists (public/open311/selectors.py); off behind a transaction-mode pooler
# that cannot keep them (PgBouncer before 1.21, or max_prepared_statements = 0).
OPEN311_PREPARED_STATEMENTS = get_bool("OPEN311_PREPARED_STATEMENTS", True)
MEDIA_ROOT = Path(get_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STATIC_ROOT = Path(get_str("STATIC_ROOT", str(VAR_DIR / "static")))
EMAIL_URL = get_str("EMAIL_HOST", "")
EMAIL_PORT = get_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = get_str("DEFAULT_FROM_EMAIL", "chuangcheng@localhost")
# Map tiles are configuration: with none, maps draw on a plain background.
MAP_TILE_URL = get_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = get_str("MAP_TILE_ATTRIBUTION", "")
# "wgs84" or "gcj02": the tile system; storage stays WGS-84.
MAP_TILE_CRS = get_str("MAP_TILE_CRS", "wgs84")
# 天地图 (tianditu.gov.cn, CGCS2000 ≈ WGS-84): with a key (申请自 天地图开发者平台) and no MAP_TILE_URL, maps use its
# vector tiles plus the annotation layer, from t0–t7.tianditu.gov.cn. Without either, maps draw on a plain background.
TIANDITU_KEY = get_str("TIANDITU_KEY", "")
MAP_TILE_SUBDOMAINS = get_str("MAP_TILE_SUBDOMAINS", "")
MAP_TILE_LABEL_URL = get_str("MAP_TILE_LABEL_URL", "")
TIANDITU_WMTS = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
if TIANDITU_KEY and not MAP_TILE_URL:
    _key = quote(TIANDITU_KEY.strip(), safe="")
    MAP_TILE_URL = TIANDITU_WMTS.format(layer="vec", key=_key)
    MAP_TILE_LABEL_URL = MAP_TILE_LABEL_URL or TIANDITU_WMTS.format(layer="cva", key=_key)
    MAP_TILE_SUBDOMAINS = MAP_TILE_SUBDOMAINS or "01234567"
    MAP_TILE_ATTRIBUTION = MAP_TILE_ATTRIBUTION or "天地图"
    MAP_TILE_CRS = "wgs84"
UPLOAD_MAX_BYTES = get_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# Images above this many pixels are refused before decoding (phone photos are 12 to 48 megapixels).
UPLOAD_MAX_PIXELS = get_int("UPLOAD_MAX_PIXELS", 50_000_000)
LOGIN_MAX_FAILURES = get_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_SECONDS = get_int("LOGIN_LOCK_SECONDS", 15 * 60)
# Failures on one account from all clients before unknown clients are kept out of it (see accounts/throttling.py).
LOGIN_ACCOUNT_MAX_FAILURES = get_int("LOGIN_ACCOUNT_MAX_FAILURES", 20)
# The name in the header; the default is the demo city (seed_demo runs on 淮北市's real divisions), marked 演示.
CITY_NAME = get_str("CITY_NAME", "淮北市（演示）")
# Citizens: the SMS gateway for reporter notices (dotted path; empty: log only) and the closure-dispute window.
PUBLIC_SMS_BACKEND = get_str("PUBLIC_SMS_BACKEND", "")
PUBLIC_DISPUTE_DAYS = get_int("PUBLIC_DISPUTE_DAYS", 15)
PUBLIC_DISPUTE_MAX = get_int("PUBLIC_DISPUTE_MAX", 2)
# Residents rate a closure within this many days; points per accepted report and per day (product defaults, not
# official figures); the cash value of points is a sentence the city sets (empty: none, and residents are told so).
PUBLIC_RATING_DAYS = get_int("PUBLIC_RATING_DAYS", 15)
PUBLIC_POINTS_PER_REPORT = get_int("PUBLIC_POINTS_PER_REPORT", 10)
PUBLIC_POINTS_DAILY_CAP = get_int("PUBLIC_POINTS_DAILY_CAP", 30)
PUBLIC_POINTS_CASH_VALUE = get_str("PUBLIC_POINTS_CASH_VALUE", "")
# Readiness: below this share of the evaluation's place categories sampled, the pass probability is withheld.
READINESS_MIN_COVERAGE_PERCENT = get_int("READINESS_MIN_COVERAGE_PERCENT", 80)
