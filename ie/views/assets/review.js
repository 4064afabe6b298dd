/* The review page (ie/views/review.py): one document shown at a time (#d-NAME in the URL picks
   it); a highlight's records in the detail panel on hover or click; a click on a table row selects
   its record and highlight; the filters (metric text, flag, minimum confidence) hide rows and dim
   highlights whose records are all hidden. Records come from the page data, keyed by their line
   in RECORDS; every key of a row is shown. Sets <html data-ready> when set up. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const sections = Array.from(document.querySelectorAll("section.doc"));
  const detail = document.getElementById("detail");
  const metricFilter = document.getElementById("f-metric");
  const flagFilter = document.getElementById("f-flag");
  const confidenceFilter = document.getElementById("f-confidence");
  const confidenceValue = document.getElementById("f-confidence-value");

  function showDocument() {
    const id = location.hash.slice(1);
    const current = sections.find((section) => section.id === id) || sections[0];
    if (!current) return;
    sections.forEach((section) => { section.hidden = section !== current; });
    document.querySelectorAll("nav.docs a[href^='#']").forEach((link) => {
      link.classList.toggle("current", link.getAttribute("href") === "#" + current.id);
    });
    document.body.dataset.doc = current.dataset.doc;
  }

  function format(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function recordTable(line) {
    const record = data.records[line];
    const table = document.createElement("table");
    table.className = "record";
    table.dataset.record = line;
    const rows = [["line", line]].concat(Object.entries(record || {}));
    if (data.problems[line]) rows.push(["problem", data.problems[line]]);
    rows.forEach(([key, value]) => {
      const tr = table.insertRow();
      const th = document.createElement("th");
      th.textContent = key;
      tr.appendChild(th);
      const td = tr.insertCell();
      td.dataset.field = key;
      const text = key === "evidence" && value && typeof value === "object"
        ? "[" + value.start + ", " + value.end + ") " + value.text : format(value);
      if (text === null) { td.textContent = "null"; td.className = "null"; } else { td.textContent = text; }
      if (key === "problem") tr.className = "problem";
    });
    return table;
  }

  function select(lines, mark) {
    document.querySelectorAll(".selected").forEach((element) => element.classList.remove("selected"));
    if (mark) mark.classList.add("selected");
    detail.replaceChildren(...lines.map(recordTable));
    detail.dataset.records = lines.join(" ");
    lines.forEach((line) => {  // a line of RECORDS is one record: unique on the page
      const row = document.querySelector("tr[data-record='" + line + "']");
      if (row) row.classList.add("selected");
    });
  }

  document.addEventListener("mouseover", (event) => {
    const mark = event.target.closest && event.target.closest("mark.ev");
    if (mark && !mark.classList.contains("selected")) select(mark.dataset.records.split(" "), mark);
  });
  document.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.ev");
    if (mark) { select(mark.dataset.records.split(" "), mark); return; }
    const row = event.target.closest("tr[data-record]");
    if (!row) return;
    const line = row.dataset.record;
    const section = row.closest("section.doc");
    const found = section.querySelector("mark.ev[data-records~='" + line + "']");
    select([line], found);
    row.classList.add("selected");
    if (found) found.scrollIntoView({block: "nearest"});
  });

  function passes(line) {
    const record = data.records[line] || {};
    const metric = metricFilter.value.trim().toLowerCase();
    if (metric && !String(record.metric || "").toLowerCase().includes(metric)) return false;
    const flags = Array.isArray(record.flags) ? record.flags : [];
    const flag = flagFilter.value;
    if (flag === "-" && flags.length) return false;
    if (flag === "+" && !flags.length) return false;
    if (flag && flag !== "-" && flag !== "+" && !flags.includes(flag)) return false;
    const minimum = confidenceFilter.disabled ? 0 : Number(confidenceFilter.value);
    return !(minimum > 0 && typeof record.confidence === "number" && record.confidence < minimum);
  }

  function applyFilters() {
    confidenceValue.textContent = Number(confidenceFilter.value).toFixed(2);
    sections.forEach((section) => {
      let shown = 0;
      section.querySelectorAll("tr[data-record]").forEach((row) => {
        row.hidden = !passes(row.dataset.record);
        if (!row.hidden) shown += 1;
      });
      section.querySelector(".shown .count").textContent = shown;
      section.querySelectorAll("mark.ev").forEach((mark) => {
        mark.classList.toggle("dim", !mark.dataset.records.split(" ").some(passes));
      });
    });
  }

  [metricFilter, flagFilter, confidenceFilter].forEach((input) => input.addEventListener("input", applyFilters));
  flagFilter.addEventListener("change", applyFilters);
  window.addEventListener("hashchange", showDocument);
  showDocument();
  document.documentElement.dataset.ready = "true";
  if (window.performance && performance.mark) performance.mark("review-ready");
})();
