/* 指挥中心: charts (ECharts) and the grid map (Leaflet), shared by the dashboard and the big screen.
 * The <script> tag loading this file carries the page's settings: data-shading and data-shapes (map data
 * URLs), data-tiles and data-attribution (base map, optional), data-refresh (API base; the big screen
 * re-reads its figures every minute) and data-query (the scope's query string). The figures come from
 * json_script "dashboard-data". Names (units, areas) are data: tooltips escape them with CC.escapeHtml. */
(function () {
  'use strict';
  var tag = document.currentScript;
  var esc = window.CC.escapeHtml;
  var dark = document.body.classList.contains('bigscreen');
  var text = dark ? '#dbeafe' : '#374151';

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var c = echarts.getInstanceByDom(el) || echarts.init(el);
    option.textStyle = { color: text };
    c.setOption(option, true);
    window.addEventListener('resize', function () { c.resize(); });
    return c;
  }

  // tooltip HTML for an axis trigger: the category (a unit name, a day), then one row per series
  function axisTip(params) {
    params = [].concat(params);
    return (params.length ? esc(params[0].name) : '') + params.map(function (p) {
      return '<br>' + p.marker + esc(p.seriesName) + '：' + esc(p.value);
    }).join('');
  }
  function itemTip(p) { return esc(p.name) + '：' + esc(p.value); }

  function axis(extra) { return Object.assign({ axisLabel: { color: text }, axisLine: { lineStyle: { color: text } } }, extra || {}); }

  function render(data) {
    var t = data.trends;
    chart('chart-trends', {
      tooltip: { trigger: 'axis', formatter: axisTip }, legend: { data: ['上报', '办结', '返工', '反弹'], textStyle: { color: text } },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: axis({ type: 'category', data: t.days.map(function (d) { return d.slice(5); }) }), yAxis: axis({ type: 'value' }),
      series: [
        { name: '上报', type: 'line', smooth: true, data: t.reported },
        { name: '办结', type: 'line', smooth: true, data: t.closed },
        { name: '返工', type: 'bar', data: t.sendbacks },
        { name: '反弹', type: 'bar', data: t.rebounds }
      ]
    });
    chart('chart-funnel', {
      tooltip: { trigger: 'item', formatter: itemTip },
      series: [{ type: 'funnel', sort: 'none', left: '8%', width: '84%', top: 10, bottom: 10, minSize: '20%',
        label: { show: true, position: 'inside', formatter: '{b} {c}', color: '#fff', fontSize: dark ? 18 : 13 },
        data: data.funnel.map(function (s) { return { name: s.name, value: s.value }; }) }]
    });
    var r = data.rankings.slice(0, 10).reverse();
    chart('chart-rankings', {
      tooltip: { trigger: 'axis', formatter: axisTip }, legend: { data: ['超期', '未办结'], textStyle: { color: text } },
      grid: { left: 110, right: 16, top: 30, bottom: 20 },
      xAxis: axis({ type: 'value' }), yAxis: axis({ type: 'category', data: r.map(function (x) { return x.unit; }) }),
      series: [
        { name: '超期', type: 'bar', stack: 'a', itemStyle: { color: '#dc2626' }, data: r.map(function (x) { return x.overdue; }) },
        { name: '未办结', type: 'bar', stack: 'a', itemStyle: { color: '#2563eb' }, data: r.map(function (x) { return x.open - x.overdue; }) }
      ]
    });
    var s = data.summary;
    document.querySelectorAll('[data-kpi]').forEach(function (el) {
      var v = s[el.getAttribute('data-kpi')]; if (v !== undefined) el.textContent = v;
    });
  }

  function color(value, max) {
    if (!value) return '#e5f5e0';
    var f = Math.min(1, value / Math.max(1, max));
    var stops = ['#fee5d9', '#fcae91', '#fb6a4a', '#de2d26', '#a50f15'];
    return stops[Math.min(stops.length - 1, Math.floor(f * stops.length))];
  }

  function json(url) {
    // the shapes answer carries an ETag: the browser keeps them and revalidates (304) on later visits
    return fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.json(); });
  }

  function map(shadingUrl, shapesUrl, tileUrl, attribution) {
    var el = document.getElementById('grid-map');
    if (!el || !window.L) return;
    var m = L.map(el, { zoomControl: !dark, attributionControl: !!tileUrl });
    CC.baseLayers(m);
    Promise.all([json(shapesUrl), json(shadingUrl)]).then(function (both) {
      var geo = both[0], shading = both[1];
      geo.features.forEach(function (f) {
        var s = shading.stats[String(f.properties.id)] || [0, 0];
        f.properties.open = s[0]; f.properties.overdue = s[1];
      });
      var layer = L.geoJSON(geo, {
        style: function (f) { return { color: '#64748b', weight: 1, fillOpacity: 0.75, fillColor: color(f.properties.open, shading.max_open) }; },
        onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name) + '：未办结 ' + esc(f.properties.open) + '，超期 ' + esc(f.properties.overdue)); }
      }).addTo(m);
      if (geo.features.length) m.fitBounds(layer.getBounds()); else m.setView([30, 114], 4);
      el.setAttribute('data-loaded', String(geo.features.length));
    });
  }

  function refresh(base, query) {
    var parts = ['summary', 'trends', 'funnel', 'rankings'], data = {};
    Promise.all(parts.map(function (p) {
      return fetch(base + p + '/' + query, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (j) { data[p] = j; });
    })).then(function () { render(data); });
  }

  function clock(el) {
    var zone = el.getAttribute('data-tz') || undefined;
    (function tick() { el.textContent = new Date().toLocaleString('zh-CN', { hour12: false, timeZone: zone }); setTimeout(tick, 1000); })();
  }

  window.Dashboard = { render: render, map: map, refresh: refresh };

  var source = document.getElementById('dashboard-data');
  if (source) render(JSON.parse(source.textContent));
  if (!tag) return;
  var opts = tag.dataset, query = opts.query || '';
  if (opts.shading && opts.shapes) map(opts.shading + query, opts.shapes + query, opts.tiles || '', opts.attribution || '');
  if (opts.refresh) setInterval(function () { refresh(opts.refresh, query); }, 60000);
  var clockEl = document.getElementById('bs-clock');
  if (clockEl) clock(clockEl);
})();
