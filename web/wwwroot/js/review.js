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
      const count = cites.querySelector("[data-cite-count]");
      count.textContent = n === 0 ? count.dataset.none : callReview.plural(JSON.parse(count.dataset.some), n);
    }
  });
  document.addEventListener("htmx:afterSettle", () => document.querySelectorAll(".annotation-form").forEach(syncSeverity));

  // The scorecard's cite lists: the server writes only the cited annotations in each; every annotation of the page is
  // in its marker list, so an opened list gets the others from there, in time order (again after each change).
  function fillCites(details) {
    if (!details.open) return;
    const fieldset = details.querySelector("fieldset");
    const checked = new Set([...fieldset.querySelectorAll("input:checked")].map((box) => box.value));
    const markers = [...document.querySelectorAll("#annotation-markers [data-marker]")]
      .sort((a, b) => parseFloat(a.dataset.start) - parseFloat(b.dataset.start) || parseInt(a.dataset.id, 10) - parseInt(b.dataset.id, 10));
    fieldset.replaceChildren(fieldset.querySelector("legend"), ...markers.map((m) => {
      const box = Object.assign(document.createElement("input"), { type: "checkbox", name: `Cites[${details.dataset.cites}]`, value: m.dataset.id, checked: checked.has(m.dataset.id) });
      const time = Object.assign(document.createElement("span"), { className: "metric", textContent: callReview.formatTime(parseFloat(m.dataset.start)) });
      const label = Object.assign(document.createElement("label"), { className: "check" });
      label.append(box, " ", time, " " + m.dataset.label);
      return label;
    }));
  }
  document.addEventListener("toggle", (e) => { if (e.target.matches?.("details[data-cites]")) fillCites(e.target); }, true);
  document.addEventListener("htmx:afterSettle", () => document.querySelectorAll("details[data-cites]").forEach(fillCites));
  document.querySelectorAll("details[data-cites]").forEach(fillCites);
})();
