/* Sortable tables (every view): a click, or Enter, on a header <th data-sort="number|text"> of a
   table.sortable orders the rows of its tbody by that column (a cell's data-v, else its text), a
   second one reverses; the header gets aria-sort. Empty cells sort last; ties keep their order. */
(function () {
  "use strict";
  function value(cell, numeric) {
    if (!cell) return null;
    const raw = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
    if (raw === "") return null;
    if (!numeric) return raw;
    const number = Number(raw);
    return Number.isNaN(number) ? null : number;
  }
  function sortBy(th) {
    const table = th.closest("table");
    const body = table.tBodies[0];
    const column = th.cellIndex;
    const numeric = th.dataset.sort === "number";
    const descending = th.getAttribute("aria-sort") === "ascending";
    const rows = Array.from(body.rows, (row, i) => [value(row.cells[column], numeric), i, row]);
    rows.sort((a, b) => {
      if (a[0] === null || b[0] === null) return (a[0] === null) - (b[0] === null) || a[1] - b[1];
      const order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
      return (descending ? -order : order) || a[1] - b[1];
    });
    const fragment = document.createDocumentFragment();
    rows.forEach((entry) => fragment.appendChild(entry[2]));
    body.appendChild(fragment);
    table.querySelectorAll("th[aria-sort]").forEach((other) => other.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  function handle(event) {
    const th = event.target.closest && event.target.closest("table.sortable th[data-sort]");
    if (th && (event.type === "click" || event.key === "Enter")) sortBy(th);
  }
  document.addEventListener("click", handle);
  document.addEventListener("keydown", handle);
})();
