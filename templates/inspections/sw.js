{% load static %}/* 创城 field service worker: network first, cached copy when offline. */
var CACHE = "chuangcheng-field-v1";
var SCOPE = "{% url 'inspections:round_list' %}";
var PRECACHE = ["{% static 'js/field_store.js' %}", "{% static 'js/field.js' %}", "{% static 'js/app.js' %}", "{% static 'css/app.css' %}", "{% static 'vendor/htmx.org/dist/htmx.min.js' %}"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(PRECACHE); }).catch(function () {}).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache) || [];
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(urls.concat(PRECACHE)); })
    .catch(function () {}).then(function () { if (event.ports[0]) { event.ports[0].postMessage("cached"); } }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = request.mode === "navigate" && url.pathname.indexOf(SCOPE) === 0;
  var asset = url.pathname.indexOf("{% get_static_prefix %}") === 0;
  if (!page && !asset) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: page, ignoreVary: true }).then(function (hit) {
      return hit || new Response("离线，且本页尚未缓存。请联网后重试。", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    });
  }));
});
