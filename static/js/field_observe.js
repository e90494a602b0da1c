/* 创城 · observation-scored items (模拟测评) on the field checklist. Loaded before field.js, which reads
 * `window.CCFieldObserve`.
 *
 * An item with judgement "observe" is observed 观察频次 times at the point (once when that is 待核实); each
 * observation is 达标 / 不达标 / 不适用. The answers live in the page's one live record as
 * `state.obs[itemId] = {note, seqs: [{uuid, value}]}` (value "pass" | "fail" | "na" | ""), each observation
 * with its own UUID so that sending twice stores it once. */
(function () {
  "use strict";

  var uuid4 = window.CCFieldStore.uuid4;
  var LABELS = [["pass", "达标"], ["fail", "不达标"], ["na", "不适用"]];

  function isObserved(item) { return item.judgement === "observe"; }
  function needed(item) { return item.observations || 1; }

  /* Give every observed item its slots, keeping whatever the record already holds (merge, never replace). */
  function ensure(state, items) {
    state.obs = state.obs || {};
    items.filter(isObserved).forEach(function (item) {
      var entry = state.obs[item.id] || (state.obs[item.id] = { note: "", seqs: [] });
      while (entry.seqs.length < needed(item)) { entry.seqs.push({ uuid: uuid4(), value: "" }); }
    });
    return state;
  }

  /* What the server already holds (a fresh page without a record on this device). */
  function fromServer(state, observations) {
    (observations || []).forEach(function (o) {
      var entry = state.obs[o.check_item];
      if (!entry || !entry.seqs[o.seq - 1]) { return; }
      entry.seqs[o.seq - 1] = { uuid: o.client_uuid, value: o.passed === true ? "pass" : o.passed === false ? "fail" : "na" };
      if (o.note && !entry.note) { entry.note = o.note; }
    });
    return state;
  }

  function payload(state) {
    var rows = [];
    Object.keys(state.obs || {}).forEach(function (id) {
      var entry = state.obs[id];
      entry.seqs.forEach(function (slot, n) {
        if (!slot.value) { return; }
        rows.push({ uuid: slot.uuid, check_item: Number(id), seq: n + 1, note: n === 0 ? entry.note || "" : "",
                    passed: slot.value === "pass" ? true : slot.value === "fail" ? false : null });
      });
    });
    return rows;
  }

  /* "O1 路面整洁（缺 2 次）" for each observed item with unanswered observations. */
  function missing(state, items) {
    return items.filter(isObserved).map(function (item) {
      var gap = state.obs[item.id].seqs.filter(function (slot) { return !slot.value; }).length;
      return gap ? item.code + " " + item.title + "（缺 " + gap + " 次）" : "";
    }).filter(Boolean);
  }

  function answeredAny(state) { return payload(state).length > 0; }

  /* The card of one observed item; `app.save()` stores the live record after every tap. */
  function card(app, item, el) {
    var entry = app.state.obs[item.id];
    var editable = app.data.can_edit;
    var points = item.full_points === null ? "分值待核实（只计观察，不计分）" : "分值 " + item.full_points + " 分";
    var times = item.observations ? "观察 " + item.observations + " 次" : "观察频次待核实，记录 1 次";
    var box = el("div", { "class": "card field-item observe", "data-item": item.id }, [
      el("div", { "class": "field-title" }, [
        el("strong", { text: item.code + " " + item.title }),
        item.is_negative_list ? el("span", { "class": "badge red", text: "负面清单" }) : null
      ]),
      el("div", { "class": "muted", text: points + " · " + times })
    ]);
    var radios = [];
    entry.seqs.forEach(function (slot, n) {
      var row = el("div", { "class": "field-choices observe-row", "data-seq": String(n + 1), style: "gap:6px" },
                   [el("span", { "class": "observe-seq", style: "flex:0 0 3.2em;align-self:center", text: "第" + (n + 1) + "次" })]);
      LABELS.forEach(function (pair) {
        var input = el("input", { type: "radio", name: "obs-" + item.id + "-" + (n + 1), value: pair[0] });
        input.checked = slot.value === pair[0];
        input.disabled = !editable;
        input.addEventListener("change", function () {
          app.state.obs[item.id].seqs[n].value = pair[0];
          box.classList.toggle("deduct", app.state.obs[item.id].seqs.some(function (s) { return s.value === "fail"; }));
          app.save();
        });
        radios.push(input);
        row.appendChild(el("label", { "class": "choice " + pair[0], style: "padding:10px 2px;white-space:nowrap" },
                           [input, document.createTextNode(" " + pair[1])]));
      });
      box.appendChild(row);
    });
    var allNa = el("button", { type: "button", "class": "secondary observe-na", text: "本项全部不适用" });
    allNa.disabled = !editable;
    allNa.addEventListener("click", function () {
      app.state.obs[item.id].seqs.forEach(function (s) { s.value = "na"; });
      radios.forEach(function (r) { r.checked = r.value === "na"; });
      box.classList.remove("deduct");
      app.save();
    });
    var note = el("textarea", { rows: "2", placeholder: "说明（可选）", "class": "note" });
    note.value = entry.note || "";
    note.disabled = !editable;
    note.addEventListener("input", function () { app.state.obs[item.id].note = note.value; app.save(); });
    box.appendChild(el("div", { "class": "observe-extra" }, [allNa, note]));
    box.classList.toggle("deduct", entry.seqs.some(function (s) { return s.value === "fail"; }));
    return box;
  }

  window.CCFieldObserve = { isObserved: isObserved, ensure: ensure, fromServer: fromServer, payload: payload,
                            missing: missing, answeredAny: answeredAny, card: card };
})();
