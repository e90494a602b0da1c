/* The small maps on an area's and a site's detail page (templates/places/area_detail.html, site_detail.html).
 * The element #map says which: data-area="<pk>" (the area, its children and its sites) or
 * data-site="<pk>" with an optional data-site-area="<pk>" (the site and the area it lies in). */
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || !window.L) return;
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const m = CCMap.create(element, config);
  const esc = CC.escapeHtml;  // names are data: Leaflet puts tooltip strings in as HTML
  const get = (url) => fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : null));
  if (config.bounds) m.fit(config.bounds);

  const area = element.dataset.area;
  if (area) {
    get(`${config.areas_url}${area}/?format=geojson`).then((feature) => {
      if (feature && feature.geometry) m.geoJSON(feature, { style: () => ({ color: "#dc2626", weight: 3, fillOpacity: 0.05 }) }).addTo(m.map);
    });
    m.loadGeoJSON(`${config.areas_url}?format=geojson&parent=${area}&page_size=500`, { style: m.areaStyle })
      .then((layer) => layer.eachLayer((l) => l.bindTooltip(esc(l.feature.properties.name), { sticky: true })).addTo(m.map));
    m.loadGeoJSON(`${config.sites_url}?format=geojson&brief=1&area=${area}&page_size=500`, { maxFeatures: 1500 })
      .then((layer) => m.pointLayer(layer.toGeoJSON().features, {
        onEachFeature: (f, l) => l.bindTooltip(esc(f.properties.name)),
      }).addTo(m.map));
  }

  const site = element.dataset.site;
  if (site) {
    const siteArea = element.dataset.siteArea;
    if (siteArea) {
      get(`${config.areas_url}${siteArea}/?format=geojson`).then((f) => {
        if (f && f.geometry) m.geoJSON(f, { style: m.areaStyle }).addTo(m.map);
      });
    }
    get(`${config.sites_url}${site}/?format=geojson`).then((f) => {
      if (f) m.pointLayer([f], { radius: 8, color: "#dc2626" }).addTo(m.map);
    });
  }
  element.dataset.ready = "1";
})();
