// Review page niceties on top of timeline.js: Ctrl+Enter saves the form being typed in, the severity field is
// only offered for unmet needs, a model moment's categories read as the need that was met, and a criterion's
// cite list counts what is ticked.
(() => {
  "use strict";
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) return;
    const form = e.target.closest?.("form");
    if (!form) return;
    e.preventDefault();
    form.requestSubmit();
  });

  function syncSeverity(form) {
    const kind = form.querySelector('input[name="kind"]:checked')?.value;
    const severity = form.querySelector('select[name="severity"]');
    if (severity) severity.closest("form").classList.toggle("exemplary", kind === "exemplary");
    for (const option of form.querySelectorAll("option[data-met]"))
      option.textContent = kind === "exemplary" ? option.dataset.met : option.dataset.unmet;
  }
  document.addEventListener("change", (e) => {
    if (e.target.name === "kind") syncSeverity(e.target.form);
    const cites = e.target.closest?.("details.cites");
    if (cites) {
      const n = cites.querySelectorAll("input[type=checkbox]:checked").length;
      cites.querySelector("[data-cite-count]").textContent = n === 0 ? "(none cited)" : `(${n} cited)`;
    }
  });
  document.addEventListener("htmx:afterSettle", () => document.querySelectorAll(".annotation-form").forEach(syncSeverity));
})();
