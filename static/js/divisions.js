/* 按行政区划建立辖区: cascading selects (province → city → county) over GET /api/v1/divisions/?parent=…,
 * filling the form's 6-digit `code` field. Names come from the data package and go through CC.escapeHtml. */
(function () {
  "use strict";
  var form = document.getElementById("division-form");
  if (!form) return;
  var url = form.getAttribute("data-divisions-url");
  var selects = [
    document.getElementById("division-province"),
    document.getElementById("division-city"),
    document.getElementById("division-county")
  ];
  var codeInput = form.querySelector("input[name='code']");
  var choice = document.getElementById("division-choice");
  var EMPTY = ["请选择省份", "请选择市", "全市"];

  function fill(select, index, rows) {
    var html = '<option value="">' + EMPTY[index] + "</option>";
    rows.forEach(function (row) {
      var mark = row.loaded ? "（已建立）" : "";
      html += '<option value="' + CC.escapeHtml(row.code) + '">' + CC.escapeHtml(row.name + mark) + "</option>";
    });
    select.innerHTML = html;
    select.disabled = rows.length === 0;
  }

  function load(index, parent) {
    var target = selects[index];
    if (!target) return;
    fetch(url + (parent ? "?parent=" + encodeURIComponent(parent) : ""), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { fill(target, index, data.results || []); });
  }

  function describe() {
    var city = selects[1], county = selects[2];
    var picked = county.value ? county : city.value ? city : null;
    if (!picked) { choice.textContent = ""; return; }
    codeInput.value = picked.value;
    choice.textContent = "将建立：" + picked.options[picked.selectedIndex].text + "（" + picked.value + "）";
  }

  selects.forEach(function (select, index) {
    select.addEventListener("change", function () {
      for (var i = index + 1; i < selects.length; i += 1) {
        fill(selects[i], i, []);
      }
      if (select.value && index < 2) load(index + 1, select.value);
      describe();
    });
  });
  load(0, null);
})();
