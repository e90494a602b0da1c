/* Behaviour every page shares. Templates carry no inline script or on…= handlers (the Content-Security-Policy
 * forbids them, see chuangcheng/core/csp.py); they mark elements instead:
 *
 *   CC.escapeHtml(text)     any data put into HTML (Leaflet tooltips/popups, chart tooltips) goes through this
 *   data-confirm="…"        on a <form>: ask on submit; on a button or link: ask on click
 *   data-autosubmit         on a <select> or <input>: submit its form when it changes
 *   data-check-all="name"   on a checkbox: tick or untick every checkbox called `name` in the same table
 *   .nav-toggle             opens and closes the navigation on phones
 *   details.navgroup        a click elsewhere closes an open navigation drop-down
 *   details.filter-box      a list's filter form, folded on phones unless a filter is in use
 *
 * Listeners sit on the document, so content swapped in later (htmx) behaves the same.
 */
(function (global) {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function escapeHtml(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  document.addEventListener("click", function (e) {
    var target = e.target instanceof Element ? e.target : null;
    document.querySelectorAll("details.navgroup[open]").forEach(function (d) {
      if (!target || !d.contains(target)) d.removeAttribute("open");
    });
    if (!target) return;
    if (target.closest(".nav-toggle")) document.body.classList.toggle("nav-open");
    var asking = target.closest("button[data-confirm], a[data-confirm], input[data-confirm]");
    if (asking && !global.confirm(asking.getAttribute("data-confirm"))) { e.preventDefault(); e.stopImmediatePropagation(); }
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") && !global.confirm(form.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  });

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (!(el instanceof Element)) return;
    if (el.hasAttribute("data-autosubmit") && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
    }
    var name = el.getAttribute("data-check-all");
    if (name) {
      var scope = el.closest("table") || el.form || document;
      scope.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) { box.checked = el.checked; });
    }
  });

  function tileConfig() {
    var el = document.getElementById("cc-tiles");
    if (!el) return {};
    try { return JSON.parse(el.textContent) || {}; } catch (err) { return {}; }
  }

  // The configured base map (MAP_TILE_URL or 天地图 with its key, plus a label overlay) on a Leaflet map. With none
  // configured, a note on the map says it shows areas and points only (pass {note: false} where the page says so).
  function baseLayers(map, options) {
    var L = global.L;
    var cfg = tileConfig();
    if (!L || !map) return false;
    if (cfg.url) {
      var sub = cfg.subdomains || "abc";
      L.tileLayer(cfg.url, { subdomains: sub, attribution: cfg.attribution || "", maxZoom: 18 }).addTo(map);
      if (cfg.label_url) L.tileLayer(cfg.label_url, { subdomains: sub, maxZoom: 18 }).addTo(map);
      return true;
    }
    if (cfg.fallback && !(options && options.note === false)) {
      var note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        var div = L.DomUtil.create("div", "map-fallback");
        div.textContent = cfg.fallback;
        return div;
      };
      note.addTo(map);
    }
    return false;
  }

  // On a phone a list page shows its rows first: the filter form folds away unless a filter is in use.
  if (global.matchMedia && global.matchMedia("(max-width: 640px)").matches) {
    document.querySelectorAll("details.filter-box:not([data-active])").forEach(function (d) { d.removeAttribute("open"); });
  }

  global.CC = { escapeHtml: escapeHtml, baseLayers: baseLayers };
})(window);
