/* 创城 · field checklist (plain JS, no build step).
 *
 * Work is kept on the device in IndexedDB (photos as data URLs) on every change, so a reload - even
 * offline - loses nothing. "提交" queues the visit; the queue is sent to the idempotent sync endpoint
 * whenever the network is there (on load, on the `online` event, every 15 s, or by hand). Every
 * finding and photo carries a UUID made here, so sending twice is never counted twice.
 *
 * The page holds one live record per visit (`app.state`) and every change is made to it, never to a
 * copy: an answer, the position and the outcome of a sync are merged into it and then stored. Each
 * answer bumps `rev`; a sync marks the visit sent only if nothing changed while it was on the way,
 * otherwise the newer answers stay queued for the next round. (Replacing the live record with a copy
 * read back from IndexedDB used to cut the checklist off from it, so answers tapped after the position
 * was saved never reached the server.)
 */
(function () {
  "use strict";

  var MAX_SIDE = 1600;
  var store = window.CCFieldStore.store;
  var uuid4 = window.CCFieldStore.uuid4;
  var observe = window.CCFieldObserve;  // observation-scored items (模拟测评): field_observe.js

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), attrs[key]); }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function shrink(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onerror = function () { reject(reader.error); };
      reader.onload = function () {
        var img = new Image();
        img.onerror = function () { reject(new Error("无法读取照片")); };
        img.onload = function () {
          var scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.max(1, Math.round(img.width * scale));
          canvas.height = Math.max(1, Math.round(img.height * scale));
          canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
          resolve(canvas.toDataURL("image/jpeg", 0.82));
        };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }

  /* ---------- sync (all queued visits, also from other pages) ---------- */

  var running = null;  // the sync round in flight
  var again = false;   // asked for while one was in flight: run once more when it ends

  function answered(state) {
    return Object.keys(state.items).filter(function (id) { return state.items[id].result; });
  }

  function payloadOf(state) {
    var items = answered(state).map(function (id) {
      var item = state.items[id];
      return {
        uuid: item.uuid, check_item: Number(id), result: item.result,
        count: item.result === "deduct" ? Number(item.count || 1) : 0, note: item.note || "",
        lng: state.lng, lat: state.lat,
        photos: item.photos.filter(function (p) { return p.data; }).map(function (p) {
          return { uuid: p.uuid, data: p.data, taken_at: p.taken_at };
        })
      };
    });
    return { visit: state.visit, items: items, observations: observe.payload(state), lng: state.lng, lat: state.lat,
             accuracy: state.accuracy, note: state.note || "", complete: true };
  }

  /* Merge the outcome of one send into a record (the live one or the stored one): photos are marked
   * sent by UUID, and the visit counts as sent only if its answers did not change meanwhile. */
  function settle(record, sent, outcome) {
    var unchanged = (record.rev || 0) === sent.rev;
    record.error = outcome.error || "";
    if (unchanged || outcome.error) { record.queued = unchanged ? false : record.queued; }
    if (outcome.error) { return record; }
    record.synced = unchanged;
    record.synced_at = outcome.at;
    record.cases = outcome.cases;
    Object.keys(record.items).forEach(function (id) {
      record.items[id].photos.forEach(function (p) {
        if (p.data && sent.photos[p.uuid]) { p.data = null; p.sent = true; }
      });
    });
    return record;
  }

  function sendOne(state, url, live) {
    var payload = payloadOf(state);
    var sent = { rev: state.rev || 0, photos: {} };
    payload.items.forEach(function (item) { item.photos.forEach(function (p) { sent.photos[p.uuid] = true; }); });
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        var outcome = { at: new Date().toISOString(), cases: body.cases || [], error: "" };
        if (!response.ok) {
          outcome.error = "上传被拒绝：" + (body.detail || ("上传失败（" + response.status + "）"));
          if (response.status >= 500) { throw new Error(outcome.error); }
        }
        if (live && live.visit === state.visit) {
          settle(live, sent, outcome);
          if (live.queued && !live.error) { again = true; }  // changed on the way: send the newer answers now
        }
        return store.update(state.visit, function (current) {
          return current ? settle(current, sent, outcome) : null;
        });
      });
    });
  }

  /* Send every queued visit; `live` is the page's own record, sent as it is now (never a stored copy). */
  function syncAll(url, live) {
    if (!navigator.onLine) { return Promise.resolve([]); }
    if (running) { again = true; return running; }
    document.body.dataset.syncing = "1";
    var flush = live ? store.put(live) : Promise.resolve();
    running = flush.then(function () { return store.all(); }).then(function (states) {
      var queued = states.map(function (s) { return live && s.visit === live.visit ? live : s; })
        .filter(function (s) { return s.queued; });
      return queued.reduce(function (chain, state) {
        return chain.then(function (done) {
          return sendOne(state, url, live).then(function (s) { return done.concat([s]); });
        });
      }, Promise.resolve([]));
    }).finally(function () { running = null; });
    return running.then(function (done) {
      if (again) { again = false; return syncAll(url, live); }
      document.body.dataset.syncing = "0";
      return done;
    }, function (error) {
      again = false;
      document.body.dataset.syncing = "0";
      throw error;
    });
  }

  /* ---------- the checklist page ---------- */

  function initialState(data) {
    var state = { visit: data.visit.id, items: {}, note: data.visit.note || "", lng: data.visit.lng,
                  lat: data.visit.lat, accuracy: data.visit.gps_accuracy, queued: false,
                  synced: data.visit.status === "done", updated_at: null, rev: 0 };
    data.items.forEach(function (item) {
      if (!observe.isObserved(item)) { state.items[item.id] = { uuid: uuid4(), result: "", count: 1, note: "", photos: [] }; }
    });
    data.findings.forEach(function (f) {
      state.items[f.check_item] = { uuid: f.client_uuid, result: f.result, count: f.count || 1, note: f.note,
                                    photos: (f.photos || []).map(function () { return { uuid: uuid4(), data: null, sent: true }; }) };
    });
    return observe.fromServer(observe.ensure(state, data.items), data.observations);
  }

  function FieldApp(root) {
    this.root = root;
    this.data = JSON.parse(document.getElementById("field-data").textContent);
    this.url = this.data.sync_url;
    this.status = root.querySelector("#sync-status");
    this.list = root.querySelector("#checklist");
  }

  FieldApp.prototype.start = function () {
    var app = this;
    return store.get(this.data.visit.id).then(function (saved) {
      app.state = observe.ensure(saved || initialState(app.data), app.data.items);
      app.data.items.forEach(function (item) {
        if (!observe.isObserved(item) && !app.state.items[item.id]) { app.state.items[item.id] = { uuid: uuid4(), result: "", count: 1, note: "", photos: [] }; }
      });
      app.render();
      app.locate();
      app.showStatus();
      window.addEventListener("online", function () { app.sync(); });
      window.addEventListener("offline", function () { app.showStatus(); });
      setInterval(function () { app.sync(); }, 15000);
      document.body.dataset.fieldReady = "1";
      return app.sync();
    });
  };

  /* An answer changed: bump the revision and store the live record. */
  FieldApp.prototype.save = function () {
    this.state.updated_at = new Date().toISOString();
    this.state.synced = false;
    this.state.rev = (this.state.rev || 0) + 1;
    if (this.state.error && !this.state.queued) { this.state.error = ""; }
    var app = this;
    return store.put(this.state).then(function () { app.showStatus(); });
  };

  FieldApp.prototype.entry = function (id) { return this.state.items[id]; };

  FieldApp.prototype.locate = function () {
    var app = this;
    var gps = this.root.querySelector("#gps-status");
    if (!navigator.geolocation) { gps.textContent = "本设备不支持定位"; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      app.state.lng = pos.coords.longitude;
      app.state.lat = pos.coords.latitude;
      app.state.accuracy = pos.coords.accuracy;
      gps.textContent = "已定位：" + app.state.lng.toFixed(5) + ", " + app.state.lat.toFixed(5) + "（±" + Math.round(pos.coords.accuracy) + " 米）";
      store.put(app.state);  // the live record, answers included: never a copy from before them
    }, function () {
      gps.textContent = app.state.lng ? "使用上次定位：" + app.state.lng.toFixed(5) + ", " + app.state.lat.toFixed(5) : "未能定位（请允许定位权限）";
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  };

  FieldApp.prototype.showStatus = function () {
    var s = this.state;
    var pending = s.queued;
    var text;
    if (s.error) { text = s.error; }
    else if (pending && !navigator.onLine) { text = "离线：已保存在本机，联网后自动上传"; }
    else if (pending) { text = "待上传…"; }
    else if (s.synced) { text = "已上传到服务器"; }
    else { text = s.updated_at ? "已保存在本机（尚未提交）" : "未开始"; }
    this.status.textContent = text;
    this.status.dataset.state = s.error ? "error" : pending ? "queued" : s.synced ? "synced" : "draft";
  };

  FieldApp.prototype.sync = function () {
    var app = this;
    return syncAll(this.url, this.state).then(function () {
      app.showStatus();
      app.renderPhotosSent();
    }).catch(function () { app.showStatus(); });
  };

  FieldApp.prototype.submit = function () {
    var gaps = observe.missing(this.state, this.data.items);
    var problem = "";
    if (this.data.items.length && !answered(this.state).length && !observe.answeredAny(this.state)) {
      problem = "未提交：还没有填写任何检查项，请逐项选择“合格”或“扣分”后再提交";
    } else if (gaps.length) {
      problem = "未提交：尚有观察未记录：" + gaps.slice(0, 3).join("；") + (gaps.length > 3 ? " 等 " + gaps.length + " 项" : "") +
        "。每次观察请选择“达标”或“不达标”，无法观察的请选“不适用”";
    }
    if (problem) {
      this.state.error = problem;
      this.showStatus();
      return Promise.resolve();
    }
    this.state.queued = true;
    this.state.error = "";
    var app = this;
    return this.save().then(function () { return app.sync(); });
  };

  FieldApp.prototype.render = function () {
    var app = this;
    var editable = this.data.can_edit;
    this.list.innerHTML = "";
    if (!this.data.items.length) {
      this.list.appendChild(el("p", { "class": "muted", text: "本点位类别在所选标准中没有检查项。" }));
    }
    this.data.items.forEach(function (item) {
      if (observe.isObserved(item)) { app.list.appendChild(observe.card(app, item, el)); return; }
      var entry = app.state.items[item.id];
      var points = item.points === null ? "分值待核实" : "每处扣 " + item.points + " 分" + (item.cap_per_site ? "，单点封顶 " + item.cap_per_site + " 分" : "");
      var card = el("div", { "class": "card field-item", "data-item": item.id }, [
        el("div", { "class": "field-title" }, [
          el("strong", { text: item.code + " " + item.title }),
          item.is_negative_list ? el("span", { "class": "badge red", text: "负面清单" }) : null
        ]),
        el("div", { "class": "muted", text: points })
      ]);
      var name = "result-" + item.id;
      var choices = el("div", { "class": "field-choices" });
      [["pass", "合格"], ["deduct", "扣分"]].forEach(function (pair) {
        var input = el("input", { type: "radio", name: name, value: pair[0] });
        input.checked = entry.result === pair[0];
        input.disabled = !editable;
        input.addEventListener("change", function () { app.entry(item.id).result = pair[0]; app.save(); card.classList.toggle("deduct", pair[0] === "deduct"); });
        choices.appendChild(el("label", { "class": "choice " + pair[0] }, [input, document.createTextNode(" " + pair[1])]));
      });
      card.classList.toggle("deduct", entry.result === "deduct");
      var count = el("input", { type: "number", min: "1", value: String(entry.count || 1), "class": "count", "aria-label": "处数" });
      count.disabled = !editable;
      count.addEventListener("input", function () { app.entry(item.id).count = Math.max(1, Number(count.value) || 1); app.save(); });
      var note = el("textarea", { rows: "2", placeholder: "说明（可选）", "class": "note" });
      note.value = entry.note || "";
      note.disabled = !editable;
      note.addEventListener("input", function () { app.entry(item.id).note = note.value; app.save(); });
      var photos = el("div", { "class": "thumbs" });
      var file = el("input", { type: "file", accept: "image/*", capture: "environment", "class": "photo" });
      file.disabled = !editable;
      file.addEventListener("change", function () {
        Array.prototype.forEach.call(file.files, function (f) {
          shrink(f).then(function (data) {
            var entry = app.entry(item.id);
            entry.photos.push({ uuid: uuid4(), data: data, taken_at: new Date().toISOString() });
            if (!entry.result) { entry.result = "deduct"; card.querySelector("input[value=deduct]").checked = true; card.classList.add("deduct"); }
            return app.save();
          }).then(function () { app.drawThumbs(photos, app.entry(item.id)); });
        });
        file.value = "";
      });
      card.appendChild(choices);
      card.appendChild(el("div", { "class": "deduct-only" }, [el("label", { text: "处数 " }, [count]), note,
        el("label", { "class": "button secondary photo-button", text: "拍照 " }, [file]), photos]));
      app.drawThumbs(photos, entry);
      app.list.appendChild(card);
    });
    var visitNote = this.root.querySelector("#visit-note");
    visitNote.value = this.state.note || "";
    visitNote.disabled = !editable;
    visitNote.addEventListener("input", function () { app.state.note = visitNote.value; app.save(); });
    this.root.querySelector("#submit-visit").addEventListener("click", function () { app.submit(); });
    this.root.querySelector("#sync-now").addEventListener("click", function () { app.sync(); });
  };

  FieldApp.prototype.drawThumbs = function (box, entry) {
    box.innerHTML = "";
    entry.photos.forEach(function (p) {
      box.appendChild(p.data ? el("img", { src: p.data, alt: "照片", "class": "thumb" })
                             : el("span", { "class": "badge green", text: "照片已上传" }));
    });
  };

  FieldApp.prototype.renderPhotosSent = function () {
    var app = this;
    this.list.querySelectorAll(".field-item").forEach(function (card) {
      var entry = app.state.items[card.dataset.item];
      if (entry) { app.drawThumbs(card.querySelector(".thumbs"), entry); }
    });
  };

  /* ---------- offline page load (service worker) ---------- */

  function registerWorker(root) {
    var url = root.dataset.sw;
    if (!url || !("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(url, { scope: root.dataset.swScope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { document.body.dataset.offlineReady = "1"; };
      registration.active.postMessage({ cache: [location.href] }, [channel.port2]);
    }).catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("field-app");
    if (!root) { return; }
    registerWorker(root);
    window.fieldApp = new FieldApp(root);
    window.fieldApp.start();
  });
})();
