// 随手拍: tap on the map or use GPS to set the location; offer nearby open problems of the same category.
(function () {
  var form = document.getElementById("report-form");
  if (!form) return;
  var lngInput = form.querySelector("[name=lng]"), latInput = form.querySelector("[name=lat]");
  var category = form.querySelector("[name=category]");
  var text = document.getElementById("loc-text");
  var mapEl = document.getElementById("report-map");
  var center = [parseFloat(mapEl.dataset.lat || "30.0"), parseFloat(mapEl.dataset.lng || "120.0")];
  var map = null, marker = null;
  if (window.L) {
    map = L.map(mapEl, { zoomControl: true }).setView(center, 14);
    CC.baseLayers(map);
    map.on("click", function (e) { setPoint(e.latlng.lng, e.latlng.lat, "已在地图上选定"); });
  }
  function setPoint(lng, lat, label) {
    lngInput.value = lng.toFixed(6); latInput.value = lat.toFixed(6);
    text.textContent = label + "（" + lat.toFixed(5) + ", " + lng.toFixed(5) + "）";
    if (map) {
      if (marker) marker.setLatLng([lat, lng]); else marker = L.marker([lat, lng]).addTo(map);
      map.panTo([lat, lng]);
    }
    lookNearby();
  }
  if (lngInput.value && latInput.value) setPoint(parseFloat(lngInput.value), parseFloat(latInput.value), "已选定");
  document.getElementById("use-gps").addEventListener("click", function () {
    if (!navigator.geolocation) { text.textContent = "此设备不支持定位，请在地图上点选"; return; }
    text.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPoint(pos.coords.longitude, pos.coords.latitude, "已使用当前位置");
    }, function () { text.textContent = "定位失败，请在地图上点选或填写地点描述"; }, { enableHighAccuracy: true, timeout: 10000 });
  });
  category.addEventListener("change", lookNearby);
  function lookNearby() {
    var box = document.getElementById("nearby"), list = document.getElementById("nearby-list");
    if (!category.value || !lngInput.value) { box.hidden = true; return; }
    var url = form.dataset.nearby + "?category=" + category.value + "&lng=" + lngInput.value + "&lat=" + latInput.value;
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (data) {
      list.innerHTML = "";
      data.results.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a"), note = document.createElement("small"), button = document.createElement("button");
        link.href = item.url; link.target = "_blank"; link.textContent = item.description;
        note.className = "muted"; note.textContent = "约" + item.distance + "米 · " + item.status + " · " + item.interest + "人也遇到";
        button.type = "button"; button.className = "secondary metoo"; button.textContent = "我也遇到";
        li.append(link, " ", note, " ", button);
        button.addEventListener("click", function (ev) {
          var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
          fetch(item.metoo_url, { method: "POST", headers: { "X-CSRFToken": token, Accept: "application/json" } })
            .then(function (r) { return r.json(); }).then(function (res) { ev.target.replaceWith(document.createTextNode(res.message)); });
        });
        list.appendChild(li);
      });
      box.hidden = data.results.length === 0;
    });
  }
})();
