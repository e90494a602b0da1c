// Moderation: drag rectangles over a photo; coordinates are kept in the original image's pixels.
(function () {
  document.querySelectorAll(".redact-box").forEach(function (box) {
    var stage = box.querySelector(".redact-stage"), img = stage.querySelector("img");
    var input = box.querySelector("[name=rectangles]");
    var rects = [];
    try { rects = JSON.parse(input.value || "[]"); } catch (e) { rects = []; }
    var width = parseInt(box.dataset.width, 10), height = parseInt(box.dataset.height, 10);
    var start = null, live = null;
    function scale() { return img.clientWidth / width; }
    function draw() {
      stage.querySelectorAll(".rect").forEach(function (el) { el.remove(); });
      var s = scale();
      rects.forEach(function (r) { stage.appendChild(rectEl(r[0] * s, r[1] * s, r[2] * s, r[3] * s)); });
      input.value = JSON.stringify(rects);
    }
    function rectEl(x, y, w, h) {
      var el = document.createElement("div"); el.className = "rect";
      el.style.left = x + "px"; el.style.top = y + "px"; el.style.width = w + "px"; el.style.height = h + "px";
      return el;
    }
    function point(ev) {
      var b = img.getBoundingClientRect(), t = ev.touches ? ev.touches[0] : ev;
      return [Math.max(0, Math.min(b.width, t.clientX - b.left)), Math.max(0, Math.min(b.height, t.clientY - b.top))];
    }
    function down(ev) { ev.preventDefault(); start = point(ev); live = rectEl(start[0], start[1], 0, 0); stage.appendChild(live); }
    function move(ev) {
      if (!start) return; var p = point(ev);
      live.style.left = Math.min(p[0], start[0]) + "px"; live.style.top = Math.min(p[1], start[1]) + "px";
      live.style.width = Math.abs(p[0] - start[0]) + "px"; live.style.height = Math.abs(p[1] - start[1]) + "px";
    }
    function up(ev) {
      if (!start) return; var s = scale();
      var x = parseFloat(live.style.left) / s, y = parseFloat(live.style.top) / s;
      var w = parseFloat(live.style.width) / s, h = parseFloat(live.style.height) / s;
      start = null; live.remove();
      if (w > 4 && h > 4) rects.push([Math.round(x), Math.round(y), Math.round(w), Math.round(h)]);
      draw();
    }
    stage.addEventListener("mousedown", down); stage.addEventListener("touchstart", down);
    window.addEventListener("mousemove", move); window.addEventListener("touchmove", move);
    window.addEventListener("mouseup", up); window.addEventListener("touchend", up);
    box.querySelector(".redact-clear").addEventListener("click", function () { rects = []; draw(); });
    if (img.complete) draw(); else img.addEventListener("load", draw);
  });
})();
