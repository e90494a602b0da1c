/* The 区域网格与点位 map page (templates/places/map.html); reusable parts live in map.js. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const element = document.getElementById("map");
  const status = document.getElementById("map-status");
  const escapeHtml = CC.escapeHtml;  // every name below is data: escaped before it becomes tooltip/popup HTML
  const m = CCMap.create(element, config);
  const map = m.map;
  const GRID_ZOOM = config.grid_zoom || 14;
  let areaLayer = null, siteLayer = null, areaRequest = 0, siteRequest = 0;

  if (config.bounds) m.fit(config.bounds); else map.setView([36.7, 117.15], 11);

  function say(text) { if (status) status.textContent = text; }
  function selectedLevel() {
    const checked = document.querySelector("input[name=level]:checked");
    return checked ? Number(checked.value) : 3;
  }
  function bboxParam() {
    const b = map.getBounds();
    const sw = m.toWgs(b.getSouthWest()), ne = m.toWgs(b.getNorthEast());
    return [sw[0], sw[1], ne[0], ne[1]].map((v) => v.toFixed(6)).join(",");
  }

  async function drawAreas() {
    const level = selectedLevel();
    const request = ++areaRequest;
    const params = new URLSearchParams({ format: "geojson", level: String(level), page_size: "500" });
    if (config.focus_area) params.set("within", config.focus_area);
    if (level === 5 && !config.focus_area) {
      if (map.getZoom() < GRID_ZOOM) {
        if (areaLayer) { map.removeLayer(areaLayer); areaLayer = null; }
        say("网格数量较多：请放大地图（或在区域详情页打开地图）后显示网格");
        return;
      }
      params.set("bbox", bboxParam());
    }
    say("正在加载区域…");
    try {
      const layer = await m.loadGeoJSON(config.areas_url + "?" + params, {
        style: m.areaStyle,
        maxFeatures: 5000,
        onEachFeature: (feature, l) => {
          const p = feature.properties;
          l.bindTooltip(escapeHtml(p.name), { sticky: true });
          l.bindPopup(`<strong>${escapeHtml(p.name)}</strong><br>${escapeHtml(p.level_display)} · ${escapeHtml(p.code)}` +
            `<br>人口：${escapeHtml(p.population ?? "待核实")}<br><a href="${config.area_detail_url.replace("/0/", `/${p.id}/`)}">详情</a>`);
        },
      });
      if (request !== areaRequest) return;
      if (areaLayer) map.removeLayer(areaLayer);
      areaLayer = layer.addTo(map);
      if (siteLayer) siteLayer.bringToFront();
      say(`区域 ${layer.getLayers().length} 个` + (layer.total > layer.getLayers().length ? `（共 ${layer.total} 个，仅显示部分）` : ""));
    } catch (error) {
      say("区域加载失败：" + error.message);
    }
  }

  async function drawSites() {
    const show = document.getElementById("show-sites");
    const request = ++siteRequest;
    if (show && !show.checked) {
      if (siteLayer) { map.removeLayer(siteLayer); siteLayer = null; }
      return;
    }
    const params = new URLSearchParams({ format: "geojson", page_size: "500", brief: "1" });
    const category = document.getElementById("site-category");
    if (category && category.value) params.set("category", category.value);
    if (config.focus_area) params.set("area", config.focus_area);
    if (map.getZoom() >= 13) params.set("bbox", bboxParam());
    try {
      const layer = await m.loadGeoJSON(config.sites_url + "?" + params, { maxFeatures: 3000 });
      if (request !== siteRequest) return;
      const features = layer.toGeoJSON().features;
      const points = m.pointLayer(features, {
        onEachFeature: (feature, l) => {
          const p = feature.properties;
          l.bindPopup(`<strong>${escapeHtml(p.name)}</strong><br>${escapeHtml(p.category_name)}<br>${escapeHtml(p.address)}` +
            `<br><a href="${config.site_detail_url.replace("/0/", `/${p.id}/`)}">详情</a>`);
        },
      });
      if (siteLayer) map.removeLayer(siteLayer);
      siteLayer = points.addTo(map);
      const counter = document.getElementById("site-count");
      if (counter) counter.textContent = `点位 ${features.length}` + (layer.total > features.length ? ` / ${layer.total}` : "");
    } catch (error) {
      say("点位加载失败：" + error.message);
    }
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  map.on("click", async (event) => {
    const [lng, lat] = m.toWgs(event.latlng);
    const response = await fetch(config.locate_url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ lng, lat }),
    });
    const body = response.ok ? await response.json() : { chain: [] };
    const chain = (body.chain || []).map((a) => escapeHtml(a.name)).join(" › ") || "不在可见区域内";
    L.popup().setLatLng(event.latlng)
      .setContent(`<small>${lng.toFixed(6)}, ${lat.toFixed(6)}</small><br>${chain}`).openOn(map);
  });

  let timer = null;
  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (selectedLevel() === 5 && !config.focus_area) drawAreas();
      if (map.getZoom() >= 13) drawSites();
    }, 250);
  });
  const controls = document.querySelector("form.map-controls");
  if (controls) controls.addEventListener("submit", (event) => event.preventDefault());
  document.querySelectorAll("input[name=level]").forEach((input) => input.addEventListener("change", drawAreas));
  const show = document.getElementById("show-sites");
  if (show) show.addEventListener("change", drawSites);
  const category = document.getElementById("site-category");
  if (category) category.addEventListener("change", drawSites);

  drawAreas();
  drawSites();
  element.dataset.ready = "1";
})();
