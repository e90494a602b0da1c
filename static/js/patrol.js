/* 网格巡查 (templates/inspections/patrol.html): fill the form's lng/lat from the device's position. */
(function () {
  "use strict";
  var status = document.getElementById("gps-status");
  if (!status) return;
  if (!navigator.geolocation) { status.textContent = "本设备不支持定位"; return; }
  navigator.geolocation.getCurrentPosition(function (pos) {
    document.querySelector("input[name=lng]").value = pos.coords.longitude;
    document.querySelector("input[name=lat]").value = pos.coords.latitude;
    status.textContent = "已定位（±" + Math.round(pos.coords.accuracy) + " 米）";
  }, function () { status.textContent = "未能定位（请允许定位权限）"; }, { enableHighAccuracy: true, timeout: 10000 });
})();
