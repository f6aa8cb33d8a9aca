/* Page behaviour shared by every page (no inline script: the CSP forbids it).
 *
 * - An htmx answer with a 4xx status and a body is shown (htmx leaves error answers out by default), so a
 *   refused form shows its message where the person is looking.
 * - After an htmx swap focus never falls back to <body>: it goes to the error summary of the new content, or
 *   to the element marked `data-swap-focus`, or to the swapped region's first heading, or to the region.
 * - A form's error summary takes focus when the page loads, and the page title says there are errors.
 * - A stable `role=status` region (`data-status-from="#id"`) repeats the text of an element that htmx
 *   replaces, so the new result count is announced once and reliably.
 * - The language switch keeps the address the page shows now (htmx searches change it without reloading).
 * - A list of checkboxes marked `data-filter-list` gets a text box that narrows the list as you type.
 * - Wide tables scroll inside their own container, which takes focus when it really scrolls.
 */
(function () {
  "use strict";

  function focusable(el) {
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.setAttribute("tabindex", "-1");
    el.focus();
  }

  function focusErrorSummary(root) {
    const summary = root.querySelector(".error-summary");
    if (summary) {
      focusable(summary);
      return true;
    }
    return false;
  }

  function markTitle() {
    if (!document.querySelector(".error-summary")) return;
    const meta = document.querySelector("meta[name=error-title-prefix]");
    const prefix = (meta && meta.content) || "Fel:";
    if (!document.title.startsWith(prefix)) document.title = prefix + " " + document.title;
  }

  function syncStatus(root) {
    for (const region of root.querySelectorAll("[data-status-from]")) {
      const source = document.querySelector(region.dataset.statusFrom);
      const text = source ? source.textContent.replace(/\s+/g, " ").trim() : "";
      if (region.textContent !== text) region.textContent = text;
    }
  }

  function wrapTables(root) {
    for (const box of root.querySelectorAll(".table-scroll")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        const caption = box.querySelector("caption");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      } else if (!scrolls && box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  function filterLists(root) {
    for (const list of root.querySelectorAll("[data-filter-list]")) {
      const input = list.querySelector("input[data-filter-input]");
      if (!input || input.dataset.ready) continue;
      input.dataset.ready = "1";
      input.closest("[hidden]") && input.closest("[hidden]").removeAttribute("hidden");
      const status = list.querySelector("[data-filter-status]");
      input.addEventListener("input", function () {
        const words = input.value.toLowerCase().trim();
        let shown = 0;
        for (const option of list.querySelectorAll("[data-filter-option]")) {
          const hit = !words || option.textContent.toLowerCase().includes(words);
          const checked = option.querySelector("input:checked");
          option.hidden = !(hit || checked);
          if (!option.hidden) shown += 1;
        }
        if (status) status.textContent = (status.dataset.template || "%s").replace("%s", shown);
      });
      // Enter in the filter box narrows the list; it must not submit the form.
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();
      });
    }
  }

  function enhance(root) {
    wrapTables(root);
    filterLists(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    markTitle();
    if (!focusErrorSummary(document)) {
      const first = document.querySelector("[aria-invalid=true]");
      if (first) first.focus();
    }
    const lang = document.querySelector("form.lang");
    if (lang) {
      lang.addEventListener("submit", function () {
        const next = lang.querySelector("input[name=next]");
        if (next) next.value = window.location.pathname + window.location.search + window.location.hash;
      });
    }
    window.addEventListener("resize", function () {
      wrapTables(document);
    });
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    if (status >= 400 && status < 500 && event.detail.xhr.responseText.trim()) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(document);
    syncStatus(document);
    const target = [event.target, event.detail.elt, event.detail.target].find((el) => el && el.isConnected);
    if (!target || target === document.body) return;
    const summary = target.matches(".error-summary") ? target : target.querySelector(".error-summary");
    if (summary) {
      focusable(summary);
      return;
    }
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const marked = target.querySelector("[data-swap-focus]");
    const heading = target.querySelector("h1, h2, h3, legend");
    focusable(marked || heading || target);
  });
})();
