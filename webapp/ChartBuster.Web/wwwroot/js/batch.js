// The batch page, enhanced: the summary is fetched in place (so the chosen file stays chosen and "Download the
// scored file" works at once), and the top-songs table sorts by any column. Without this script the form posts and
// the table comes sorted by probability. Same-site file, no inline code.
"use strict";

(() => {
  const form = document.getElementById("batch-form");
  const result = document.getElementById("batch-result");
  if (!form || !result) return;

  form.addEventListener("submit", async (event) => {
    if (event.submitter?.value !== "summary") return; // the download is a plain form post
    event.preventDefault();
    const data = new FormData(form);
    data.set("send", "summary");
    result.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action || "/Batch", { method: "POST", body: data, headers: { accept: "text/html" } });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("batch-result") || page.querySelector("main");
      result.replaceChildren(...fresh.childNodes);
      sortable();
      result.querySelector("h2, [role=alert]")?.setAttribute("tabindex", "-1");
      result.querySelector("h2, [role=alert]")?.focus();
    } catch {
      result.replaceChildren(Object.assign(document.createElement("p"), { className: "errors", textContent: "The site could not be reached; check the connection and try again." }));
    } finally {
      result.removeAttribute("aria-busy");
    }
  });

  function sortable() {
    for (const table of document.querySelectorAll("table.sortable")) {
      const headers = [...table.querySelectorAll("thead th")];
      headers.forEach((th, column) => {
        if (th.querySelector("button")) return;
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent;
        th.replaceChildren(button);
        button.addEventListener("click", () => {
          const descending = th.getAttribute("aria-sort") !== "descending";
          headers.forEach((h) => h.removeAttribute("aria-sort"));
          th.setAttribute("aria-sort", descending ? "descending" : "ascending");
          const numeric = th.dataset.sort === "number";
          const key = (row) => {
            const cell = row.cells[column];
            return numeric ? Number(cell.dataset.value ?? cell.textContent) : cell.textContent.trim().toLowerCase();
          };
          const rows = [...table.tBodies[0].rows].sort((a, b) => {
            const [x, y] = [key(a), key(b)];
            const order = x < y ? -1 : x > y ? 1 : 0;
            return descending ? -order : order;
          });
          table.tBodies[0].append(...rows);
        });
      });
    }
  }

  sortable();
})();
