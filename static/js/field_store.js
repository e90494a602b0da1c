/* 创城 · field checklist storage: visits kept on the device in IndexedDB, and client UUIDs.
 * Loaded before field.js, which reads `window.CCFieldStore`. */
(function () {
  "use strict";

  var DB_NAME = "chuangcheng-field";
  var STORE = "visits";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "visit" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result instanceof IDBRequest ? result.result : result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  var store = {
    get: function (key) { return tx("readonly", function (s) { return s.get(key); }); },
    put: function (value) { return tx("readwrite", function (s) { s.put(value); }); },
    /* Read-modify-write in one transaction: `change(current)` returns the record to store (or null). */
    update: function (key, change) {
      return tx("readwrite", function (s) {
        var out = {};
        var request = s.get(key);
        request.onsuccess = function () {
          out.value = change(request.result);
          if (out.value) { s.put(out.value); }
        };
        return out;
      }).then(function (out) { return out.value; });
    },
    all: function () { return tx("readonly", function (s) { return s.getAll(); }); }
  };

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  window.CCFieldStore = { store: store, uuid4: uuid4 };
})();
