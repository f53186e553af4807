// The suggestion lane's keys on the review page: n selects the next open suggestion after the playhead (and jumps
// there), a accepts the selected one, d dismisses it. A click on a marker or a time selects it too. The server does
// the rest (htmx forms with the page's antiforgery header); the lane is swapped whole after each decision.
(() => {
  "use strict";

  let selected = null;

  function isTyping(target) {
    return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  function playhead() {
    return document.querySelector("[data-timeline]")?.timeline?.currentTime() ?? 0;
  }

  function select(id) {
    selected = id;
    document.querySelectorAll("[data-signal-item], [data-signal-marker]").forEach((el) =>
      el.classList.toggle("selected", (el.dataset.signalItem ?? el.dataset.signalMarker) === id));
    const item = id && document.getElementById("signal-" + id);
    item?.scrollIntoView({ block: "nearest" });
  }

  function openItems() {
    return [...document.querySelectorAll('[data-signal-item][data-status="suggested"]')];
  }

  function next() {
    const items = openItems();
    if (items.length === 0) return;
    const t = playhead() + 0.05;
    const item = items.find((li) => parseFloat(li.dataset.start) > t && li.dataset.signalItem !== selected) ?? items[0];
    select(item.dataset.signalItem);
    item.querySelector("[data-seek]")?.click();
  }

  document.addEventListener("click", (e) => {
    const target = e.target.closest?.("[data-signal-marker], [data-signal-select]");
    if (target) select(target.dataset.signalMarker ?? target.dataset.signalSelect);
  });

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.querySelector("dialog[open]")) return;
    if (!document.querySelector("[data-signal-lane]")) return;
    // With nothing selected, a and d act on the open suggestion under the playhead.
    const t = playhead();
    const item = (selected && document.getElementById("signal-" + selected)) ||
      openItems().find((li) => Math.abs(parseFloat(li.dataset.start) - t) <= 1);
    switch (e.key) {
      case "n": next(); break;
      case "a": if (!item) return; item.querySelector("[data-signal-accept]")?.click(); break;
      case "d": if (!item) return; item.querySelector("[data-signal-dismiss]")?.click(); break;
      default: return;
    }
    e.preventDefault();
  });

  // After a decision the lane is new: keep the selection if it is still open, else move to the next one.
  document.addEventListener("htmx:afterSettle", () => {
    if (!selected || !document.querySelector("[data-signal-lane]")) return;
    const still = openItems().some((li) => li.dataset.signalItem === selected);
    if (still) select(selected); else { selected = null; document.querySelectorAll(".signal-marker.selected").forEach((m) => m.classList.remove("selected")); }
  });
})();
