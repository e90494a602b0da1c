/* Case maps: the location on a case's page (#case-map, data from json_script "case-point") and the map of
 * open cases (#cases-map, data from json_script "case-points"). The base map comes from data-tile-url. */
(function () {
  "use strict";
  if (!window.L) return;
  const esc = CC.escapeHtml;  // titles and area names are data: Leaflet puts popup/tooltip strings in as HTML
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  function base(element) {
    const map = L.map(element);
    CC.baseLayers(map);
    return map;
  }

  const one = document.getElementById("case-map");
  if (one) {
    const p = read("case-point");
    const map = base(one).setView([p.lat, p.lng], 16);
    if (p.area) {
      const grid = L.geoJSON(p.area, { style: { color: "#1e40af", weight: 2, fillOpacity: 0.06 } }).addTo(map);
      grid.bindTooltip(esc(p.area_name));
      map.fitBounds(grid.getBounds().extend([p.lat, p.lng]), { padding: [20, 20], maxZoom: 17 });
    }
    L.circleMarker([p.lat, p.lng], { radius: 9, color: "#dc2626" }).addTo(map).bindPopup(esc(p.title));
    one.dataset.ready = "1";
  }

  const many = document.getElementById("cases-map");
  if (many) {
    const points = read("case-points");
    const colors = { green: "#16a34a", yellow: "#d97706", red: "#dc2626", gray: "#6b7280" };
    const map = base(many);
    const layer = L.featureGroup().addTo(map);
    for (const p of points) {
      const popup = document.createElement("div");
      const link = document.createElement("a");
      link.href = p.url; link.textContent = p.title;
      popup.append(link, document.createElement("br"), `${p.status} · ${p.unit}`);
      L.circleMarker([p.lat, p.lng], { radius: 6, color: colors[p.light] || colors.gray, fillOpacity: 0.8 }).bindPopup(popup).addTo(layer);
    }
    if (points.length) map.fitBounds(layer.getBounds().pad(0.1)); else map.setView([30, 120], 11);
    many.dataset.ready = "1";
  }
})();
