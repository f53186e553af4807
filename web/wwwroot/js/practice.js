// The learner's exercise page: pin moments while listening (button or "p"), choose a category per pin, remove
// pins; pins are list items with data-marker, so the shared timeline draws them (timeline.syncMarkers) beside
// nothing else: the page never has the answer. Comparison pages pin against plain <audio data-player> elements.
(() => {
  "use strict";

  const list = document.querySelector("[data-pin-list]");
  const template = document.querySelector("template[data-pin-template]");
  if (!list || !template) return;
  const empty = document.querySelector("[data-pin-empty]");
  const timelineRoot = () => document.querySelector("[data-timeline]");
  let nextId = list.children.length;

  const { formatTime } = window.callReview;

  function currentTime(side) {
    const player = document.querySelector(`[data-player="${side}"]`);
    if (player) return player.currentTime || 0;
    return timelineRoot()?.timeline?.currentTime() ?? 0;
  }

  /** Form names are Pins[i].Field in list order, so the model binder sees a dense list after removals. */
  function renumber() {
    Array.from(list.children).forEach((li, i) => {
      for (const input of li.querySelectorAll("input, select")) {
        const field = input.dataset.field || input.name.replace(/^Pins\[\d+\]\./, "");
        input.dataset.field = field;
        input.name = `Pins[${i}].${field}`;
      }
    });
    if (empty) empty.hidden = list.children.length > 0;
    timelineRoot()?.timeline?.syncMarkers();
  }

  function addPin(side) {
    const at = Math.round(currentTime(side) * 1000) / 1000;
    const li = template.content.firstElementChild.cloneNode(true);
    li.dataset.id = "pin-new-" + nextId++;
    li.dataset.start = String(at);
    li.querySelector('[data-field="Side"]').value = side;
    li.querySelector('[data-field="At"]').value = String(at);
    const time = li.querySelector("[data-time]");
    time.textContent = (document.querySelector("[data-player]") ? side.toUpperCase() + " " : "") + formatTime(at);
    time.dataset.seek = String(at);
    list.appendChild(li);
    renumber();
    li.querySelector("select")?.focus();
  }

  document.addEventListener("click", (e) => {
    const pinButton = e.target.closest("[data-pin-now]");
    if (pinButton) { addPin(pinButton.dataset.side || "a"); return; }
    const remove = e.target.closest("[data-pin-remove]");
    if (remove && list.contains(remove)) { remove.closest("li").remove(); renumber(); }
  });

  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const typing = t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
    if (e.key !== "p" || typing || e.ctrlKey || e.metaKey || e.altKey || document.querySelector("[data-player]")) return;
    e.preventDefault();
    addPin("a");
  });

  renumber();
})();
