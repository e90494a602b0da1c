/* 创城 map helpers (Leaflet, served from /static/vendor/leaflet/dist/). Reusable by any page:
 *
 *   const m = CCMap.create(element, config);      // config from {{ map_config|json_script }}
 *   m.loadGeoJSON(url, {style, onEachFeature, maxFeatures}) -> Promise<L.GeoJSON>
 *   m.addPoints(features, {color, radius, popup})  // GeoJSON Point features, canvas markers
 *   m.fit([[minLng, minLat], [maxLng, maxLat]])    // WGS-84 bounds
 *   m.toWgs(latlng) -> [lng, lat]                  // a click on the map, back to storage coordinates
 *
 * Storage is WGS-84. When config.tile_crs === "gcj02" (AMap/Tencent tiles) every coordinate is
 * shifted to GCJ-02 at the edge, just before drawing, and clicks are shifted back.
 * Without config.tile_url no tile layer is added: the map draws on a plain background (offline).
 */
(function (global) {
  "use strict";

  // --- WGS-84 <-> GCJ-02 (the published formula; identity outside mainland China) ---
  const A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lng, lat) { return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function tLat(x, y) {
    let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function tLng(x, y) {
    let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function wgsToGcj(lng, lat) {
    if (outOfChina(lng, lat)) return [lng, lat];
    let dLat = tLat(lng - 105, lat - 35), dLng = tLng(lng - 105, lat - 35);
    const radLat = lat / 180 * Math.PI;
    let magic = Math.sin(radLat); magic = 1 - EE * magic * magic;
    const sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
    dLng = (dLng * 180) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
    return [lng + dLng, lat + dLat];
  }
  function gcjToWgs(lng, lat) {  // iterative inverse, < 1 cm after a few rounds
    let x = lng, y = lat;
    for (let i = 0; i < 5; i++) {
      const g = wgsToGcj(x, y);
      x += lng - g[0]; y += lat - g[1];
    }
    return [x, y];
  }

  const LEVEL_COLORS = { 1: "#1e3a8a", 2: "#1d4ed8", 3: "#7c3aed", 4: "#0f766e", 5: "#64748b" };
  const CATEGORY_COLORS = ["#dc2626", "#d97706", "#16a34a", "#2563eb", "#9333ea", "#db2777", "#0891b2", "#65a30d",
    "#ea580c", "#4f46e5"];

  function colorFor(key) {
    let h = 0;
    for (const ch of String(key)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return CATEGORY_COLORS[h % CATEGORY_COLORS.length];
  }

  async function fetchAll(url, maxFeatures) {
    const features = [];
    let next = url, total = null;
    while (next && features.length < maxFeatures) {
      const response = await fetch(next, { credentials: "same-origin", headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const body = await response.json();
      total = body.count ?? null;
      features.push(...(body.features || []));
      next = body.next;
    }
    return { features: features.slice(0, maxFeatures), total };
  }

  function create(element, config) {
    config = config || {};
    const gcj = config.tile_crs === "gcj02";
    const project = gcj ? (lng, lat) => wgsToGcj(lng, lat) : (lng, lat) => [lng, lat];
    const map = L.map(element, { preferCanvas: true, zoomSnap: 0.25, zoomControl: true, attributionControl: !!config.tile_url });
    if (!CC.baseLayers(map, { note: false })) element.classList.add("map-plain");
    const canvas = L.canvas({ padding: 0.3 });

    function latLng(coords) {
      const p = project(coords[0], coords[1]);
      return L.latLng(p[1], p[0]);
    }

    const api = {
      map,
      gcj,
      latLng,
      toWgs(latlng) { return gcj ? gcjToWgs(latlng.lng, latlng.lat) : [latlng.lng, latlng.lat]; },
      fit(bounds, options) {
        const sw = latLng(bounds[0]), ne = latLng(bounds[1]);  // [lng, lat] pairs
        map.fitBounds(L.latLngBounds(sw, ne), options || { padding: [10, 10] });
      },
      geoJSON(data, options) {
        return L.geoJSON(data, Object.assign({ coordsToLatLng: latLng, renderer: canvas }, options || {}));
      },
      async loadGeoJSON(url, options) {
        options = options || {};
        const { features, total } = await fetchAll(url, options.maxFeatures || 5000);
        const layer = api.geoJSON({ type: "FeatureCollection", features }, options);
        layer.total = total;
        return layer;
      },
      areaStyle(feature) {
        const level = feature.properties.level;
        return { color: LEVEL_COLORS[level] || "#334155", weight: level <= 2 ? 3 : level === 5 ? 1 : 2,
          fillOpacity: level === 5 ? 0.04 : 0.06, opacity: 0.9 };
      },
      pointLayer(features, options) {
        options = options || {};
        return api.geoJSON({ type: "FeatureCollection", features }, {
          pointToLayer: (feature, ll) => L.circleMarker(ll, {
            renderer: canvas, radius: options.radius || 5, weight: 1, color: "#fff",
            fillColor: options.color || colorFor(feature.properties.category_code || ""), fillOpacity: 0.9,
          }),
          style: (feature) => ({ color: colorFor(feature.properties.category_code || ""), weight: 3 }),
          onEachFeature: options.onEachFeature,
        });
      },
      colorFor,
    };
    return api;
  }

  global.CCMap = { create, wgsToGcj, gcjToWgs, colorFor, LEVEL_COLORS };
})(window);
