/* Registers the inspectors' offline service worker. The <script> tag that loads this file names it:
 * data-worker="<url of sw.js>" data-scope="<scope>". */
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!tag || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(tag.dataset.worker, { scope: tag.dataset.scope }).catch(function () {});
})();
