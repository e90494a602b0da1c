/* 随手拍审核: show the report's point and, while it waits, let the office click the problem's place.
 * The click fills the 经度/纬度 inputs (WGS-84) of the moderation form; the server locates the area. */
(function () {
  "use strict";
  const element = document.getElementById("place-map");
  const holder = document.getElementById("place-map-config");
  if (!element || !holder || !window.L || !window.CCMap) return;
  const config = JSON.parse(holder.textContent);
  const m = CCMap.create(element, config);
  if (config.bounds) m.fit(config.bounds);
  let marker = null;
  function show(lng, lat) {
    const ll = m.latLng([lng, lat]);
    if (marker) marker.setLatLng(ll); else marker = L.circleMarker(ll, { radius: 8, color: "#fff", weight: 2, fillColor: "#dc2626", fillOpacity: 0.9 }).addTo(m.map);
  }
  if (config.point) show(config.point[0], config.point[1]);
  if (config.areas_url) {  // the districts' and streets' outlines, so the office sees where the city ends
    [2, 3].forEach(function (level) {
      m.loadGeoJSON(config.areas_url + "?format=geojson&page_size=500&level=" + level, { style: m.areaStyle, interactive: false, maxFeatures: 2000 })
        .then(function (layer) { layer.addTo(m.map); if (marker) marker.bringToFront(); })
        .catch(function () { /* the map still works without the outlines */ });
    });
  }
  if (!config.editable) return;
  const lngInput = document.getElementById("id_lng"), latInput = document.getElementById("id_lat");
  const hint = document.getElementById("place-hint");
  m.map.on("click", function (event) {
    const point = m.toWgs(event.latlng);
    lngInput.value = point[0].toFixed(6);
    latInput.value = point[1].toFixed(6);
    show(point[0], point[1]);
    if (hint) hint.textContent = "已选定位置（" + point[1].toFixed(5) + ", " + point[0].toFixed(5) + "），请点“保存位置”或“受理并公开”。";
  });
  function fromInputs() {
    const lng = parseFloat(lngInput.value), lat = parseFloat(latInput.value);
    if (Number.isFinite(lng) && Number.isFinite(lat)) show(lng, lat);
  }
  lngInput.addEventListener("change", fromInputs);
  latInput.addEventListener("change", fromInputs);
})();
