/* The publicity points map (templates/civility/point_map.html): each point coloured by its latest check.
 * Features come from the page (#point-features); names go through CC.escapeHtml before Leaflet shows them. */
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || !window.L) return;
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const features = JSON.parse(document.getElementById("point-features").textContent);
  const esc = CC.escapeHtml;
  const m = CCMap.create(element, config);
  const layer = m.geoJSON({ type: "FeatureCollection", features }, {
    pointToLayer: (feature, ll) => L.circleMarker(ll, {
      radius: 7, weight: 1, color: "#fff", fillColor: feature.properties.color, fillOpacity: 0.95,
    }),
    onEachFeature: (feature, l) => {
      const p = feature.properties;
      l.bindPopup(`<strong>${esc(p.name)}</strong><br>${esc(p.category)} · ${esc(p.state_label)}` +
        (p.checked_on ? `（${esc(p.checked_on)}）` : "") + `<br><a href="${esc(p.url)}">查看与检查</a>`);
    },
  }).addTo(m.map);
  if (features.length) m.map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
  else if (config.bounds) m.fit(config.bounds);
  document.querySelectorAll("#point-legend .legend-item").forEach((item) => { item.style.color = item.dataset.color; });
  element.dataset.ready = "1";
})();
