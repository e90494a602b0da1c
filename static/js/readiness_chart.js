/* 迎检预测: the score distribution of a forecast (templates/readiness/index.html). The element #score-chart
 * carries the histogram as JSON in data-histogram ({edges, counts}) and the pass line in data-pass-line. */
(function () {
  "use strict";
  var el = document.getElementById("score-chart");
  if (!el || !window.echarts) return;
  var hist = JSON.parse(el.dataset.histogram || "null"), passLine = parseFloat(el.dataset.passLine || "0");
  if (!hist) return;
  var labels = [], values = hist.counts, total = values.reduce(function (a, b) { return a + b; }, 0);
  for (var i = 0; i < values.length; i++) labels.push(((hist.edges[i] + hist.edges[i + 1]) / 2).toFixed(2));
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis", formatter: function (p) { return "得分约 " + CC.escapeHtml(p[0].name) + "：" + (p[0].value / total * 100).toFixed(1) + "%"; } },
    xAxis: { type: "category", data: labels, name: "得分", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: "模拟次数", nameTextStyle: { align: "left" } },
    series: [{ type: "bar", data: values.map(function (v, i) { return { value: v, itemStyle: { color: parseFloat(labels[i]) >= passLine ? "#16a34a" : "#dc2626" } }; }) }],
    grid: { left: 56, right: 24, top: 36, bottom: 48 }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
