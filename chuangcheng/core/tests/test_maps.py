"""Base maps are configuration: 天地图 with its key, any tile URL, or none (a plain background that says so)."""

import importlib
import json

import pytest
from django.test import Client

import config.env
from chuangcheng.core.csp import policy
from chuangcheng.core.maps import NO_TILES, tile_config


@pytest.fixture
def reload_env(monkeypatch):
    def load(**values):
        for name in (
            "TIANDITU_KEY",
            "MAP_TILE_URL",
            "MAP_TILE_LABEL_URL",
            "MAP_TILE_SUBDOMAINS",
            "MAP_TILE_ATTRIBUTION",
        ):
            monkeypatch.delenv(name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(config.env)

    yield load
    monkeypatch.undo()
    importlib.reload(config.env)


def test_a_tianditu_key_gives_vector_tiles_and_labels_from_its_eight_hosts(reload_env):
    env = reload_env(TIANDITU_KEY="abc123 ")
    assert env.MAP_TILE_URL.startswith("https://t{s}.tianditu.gov.cn/vec_w/wmts?") and env.MAP_TILE_URL.endswith(
        "tk=abc123"
    )
    assert "{z}" in env.MAP_TILE_URL and "{x}" in env.MAP_TILE_URL and "{y}" in env.MAP_TILE_URL
    assert "/cva_w/wmts?" in env.MAP_TILE_LABEL_URL and "LAYER=cva" in env.MAP_TILE_LABEL_URL
    assert (env.MAP_TILE_SUBDOMAINS, env.MAP_TILE_ATTRIBUTION, env.MAP_TILE_CRS) == ("01234567", "天地图", "wgs84")


def test_an_explicit_tile_url_wins_over_the_key(reload_env):
    env = reload_env(TIANDITU_KEY="abc", MAP_TILE_URL="https://tiles.example/{z}/{x}/{y}.png")
    assert env.MAP_TILE_URL == "https://tiles.example/{z}/{x}/{y}.png" and env.MAP_TILE_LABEL_URL == ""


def test_no_configuration_means_no_tiles_and_a_clear_note(settings):
    settings.MAP_TILE_URL = ""
    config = tile_config()
    assert config["url"] == "" and config["fallback"] == NO_TILES and "MAP_TILE_URL" not in NO_TILES


@pytest.mark.django_db
def test_every_page_carries_the_tile_configuration_and_the_policy_allows_its_hosts(settings):
    settings.MAP_TILE_URL = "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k"
    settings.MAP_TILE_SUBDOMAINS = "01234567"
    page = Client().get("/public/report/")
    html = page.content.decode()
    start = html.index('id="cc-tiles"')
    payload = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert payload["url"] == settings.MAP_TILE_URL and payload["subdomains"] == "01234567"
    assert "https://*.tianditu.gov.cn" in page["Content-Security-Policy"]
    assert "https://*.tianditu.gov.cn" in policy()
