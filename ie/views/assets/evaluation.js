/* The evaluation view (ie/research/evaluation_view.py): one view shown at a time, the summary or a
   document (#summary or #d-NAME in the URL; #s-PART, a part of the summary, shows the summary there);
   a click on a mark, or on a row of the gold | predicted table, selects its outcome (all its marks
   and its row) and shows its gold and predicted records side by side in the detail panel, differing
   fields marked; the outcomes of the marks around a clicked one follow it. Records and outcomes come
   from the page data. Sets <html data-ready> when set up. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const views = Array.from(document.querySelectorAll("main > section.view"));
  const detail = document.getElementById("detail");
  const hint = detail.innerHTML;

  function show() {
    const id = location.hash.slice(1);
    const target = id ? document.getElementById(id) : null;  // a view, or a heading inside one
    const current = (target && target.closest("section.view")) || views[0];
    if (!current) return;
    views.forEach((view) => { view.hidden = view !== current; });
    if (target && target !== current) target.scrollIntoView();
    document.querySelectorAll("nav.docs a[href^='#']").forEach((link) => {
      link.classList.toggle("current", link.getAttribute("href") === "#" + current.id);
    });
    document.body.dataset.view = current.id;
  }

  function format(key, value) {
    if (value === null || value === undefined) return null;
    if (key === "evidence" && typeof value === "object") return "[" + value.start + ", " + value.end + ") " + value.text;
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function outcomeTable(id) {
    const [kind, g, p, wrong, reason] = data.items[id];
    const gold = g === null ? null : data.gold[g];
    const pred = p === null ? null : data.pred[p];
    const wrapper = document.createElement("div");
    wrapper.className = "item";
    wrapper.dataset.item = id;
    const title = document.createElement("p");
    const label = document.createElement("span");
    const shown = wrong.length ? "wrong" : kind;
    label.className = "kind chip " + shown;
    label.textContent = data.labels[shown];
    title.appendChild(label);
    const note = wrong.length ? " " + wrong.join(", ") + " differ" : reason ? " " + reason : "";
    title.appendChild(document.createTextNode(note));
    wrapper.appendChild(title);
    const table = document.createElement("table");
    table.className = "record";
    table.dataset.item = id;
    const head = table.createTHead().insertRow();
    ["", "gold", "predicted"].forEach((text) => {
      const th = document.createElement("th");
      th.textContent = text;
      th.className = "side";
      head.appendChild(th);
    });
    const keys = [];
    [gold, pred].forEach((record) => Object.keys(record || {}).forEach((key) => {
      if (key !== "doc_id" && !keys.includes(key)) keys.push(key);
    }));
    const body = table.createTBody();
    keys.forEach((key) => {
      const tr = body.insertRow();
      const th = document.createElement("th");
      th.textContent = key;
      tr.appendChild(th);
      const texts = [gold, pred].map((record) => (record && key in record ? format(key, record[key]) : undefined));
      const differ = gold && pred && key in gold && key in pred && texts[0] !== texts[1];
      ["gold", "pred"].forEach((side, k) => {
        const td = tr.insertCell();
        td.dataset.field = key;
        td.dataset.side = side;
        if (texts[k] === undefined) { td.textContent = ""; } else if (texts[k] === null) {
          td.textContent = "null"; td.className = "null";
        } else { td.textContent = texts[k]; }
        if (differ) td.classList.add("diff");
      });
    });
    wrapper.appendChild(table);
    return wrapper;
  }

  function select(ids) {
    document.querySelectorAll(".selected").forEach((element) => element.classList.remove("selected"));
    if (!ids.length) { detail.innerHTML = hint; delete detail.dataset.items; return; }
    document.querySelectorAll("[data-item='" + ids[0] + "']").forEach((element) => {
      if (element.matches("mark.ev, tr")) element.classList.add("selected");
    });
    const parts = [outcomeTable(ids[0])];
    if (ids.length > 1) {
      const also = document.createElement("p");
      also.className = "also";
      also.textContent = "also here:";
      parts.push(also, ...ids.slice(1).map(outcomeTable));
    }
    detail.replaceChildren(...parts);
    detail.dataset.items = ids.join(" ");
  }

  document.addEventListener("click", (event) => {
    const mark = event.target.closest && event.target.closest("main mark.ev");
    if (mark) {
      const ids = [];
      for (let e = mark; e && e.matches("mark.ev"); e = e.parentElement.closest("mark.ev")) {
        if (!ids.includes(e.dataset.item)) ids.push(e.dataset.item);
      }
      select(ids);
      return;
    }
    const row = event.target.closest && event.target.closest("table.outcomes tr[data-item]");
    if (!row) return;
    select([row.dataset.item]);
    const found = document.querySelector("main mark.ev[data-item='" + row.dataset.item + "']");
    if (found) found.scrollIntoView({block: "nearest"});
  });
  window.addEventListener("hashchange", show);
  show();
  document.documentElement.dataset.ready = "true";
  if (window.performance && performance.mark) performance.mark("evaluation-ready");
})();
