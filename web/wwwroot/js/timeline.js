// The shared call timeline: audio + waveform from precomputed peaks (wavesurfer.js, no decoding in the
// browser), ruler, zoom, speed, markers read from [data-marker] elements, the transcript that follows
// playback, and the keyboard. Markers and transcript are rendered by the server; this file only wires them.
(() => {
  "use strict";

  const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
  const SEEK_STEP = 5;
  const KIND_COLOURS = { unmet: "rgba(180, 35, 24, 0.28)", exemplary: "rgba(26, 127, 55, 0.28)" };
  const LANE_COLOURS = ["rgba(31, 95, 191, 0.3)", "rgba(194, 65, 12, 0.3)", "rgba(109, 40, 217, 0.3)", "rgba(21, 128, 61, 0.3)", "rgba(190, 24, 93, 0.3)"];

  const { formatTime } = window.callReview;

  /** Index of the last item whose start is <= t, or -1: the current turn in O(log n) for long calls. */
  function lastAtOrBefore(starts, t) {
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  function cssColour(name, fallback) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
  }

  function isTyping(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) &&
      !(target instanceof HTMLInputElement && ["range", "checkbox", "radio", "button", "submit"].includes(target.type));
  }

  async function loadPeaks(url, duration) {
    if (url) {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (response.ok) {
          const body = await response.json();
          const scale = body.bits === 16 ? 32768 : 128;
          return { peaks: body.data.map((channel) => Float32Array.from(channel, (v) => v / scale)), duration: body.duration || duration };
        }
      } catch { /* a flat line still lets people seek and annotate */ }
    }
    return { peaks: [new Float32Array([0, 0])], duration };
  }

  async function create(root) {
    const audio = root.querySelector("[data-audio]");
    const duration = parseFloat(root.dataset.duration) || 0;
    const layout = root.dataset.layout || "mono";
    const agent = cssColour("--agent", "#2558c9"), customer = cssColour("--customer", "#c2410c");
    const transcript = document.querySelector("[data-transcript]");
    let turns = [], starts = new Float64Array(0);
    let currentTurn = -1, followUntil = 0, rangeStart = null, rangeRegion = null;
    // The lines, and in a transcript sent in chunks the placeholders of chunks not loaded yet (data-chunk-start: the
    // start of their first line), in time order; again each time a chunk's lines replace its placeholder.
    function collectTurns() {
      turns[currentTurn]?.classList.remove("current");
      turns = transcript ? Array.from(transcript.children) : [];
      starts = Float64Array.from(turns, (li) => parseFloat(li.dataset.start ?? li.dataset.chunkStart));
      currentTurn = -1;
    }
    collectTurns();
    function scrollToTurn(li) {
      const top = li.getBoundingClientRect().top - transcript.getBoundingClientRect().top + transcript.scrollTop;
      if (top < transcript.scrollTop || top + li.offsetHeight > transcript.scrollTop + transcript.clientHeight)
        transcript.scrollTop = Math.max(0, top - transcript.clientHeight / 3);
    }
    // Opened at a moment (?t=): show its line at once, before the peaks load, so that chunks of a long call's
    // transcript the reader is not looking at are not loaded for the moment the list sits at its top.
    const startAt = parseFloat(root.dataset.startAt);
    const opening = Number.isFinite(startAt) ? turns[lastAtOrBefore(starts, startAt)] : null;
    if (opening) scrollToTurn(opening);
    const { peaks } = await loadPeaks(root.dataset.peaksUrl, duration);
    const split = peaks.length > 1;
    const channelColours = layout === "agent-right" ? [customer, agent] : [agent, customer];
    // Phones get a low waveform so the sticky player leaves room for the page.
    const compact = matchMedia("(max-width: 600px)").matches;

    const regions = WaveSurfer.Regions.create();
    const ws = WaveSurfer.create({
      container: root.querySelector("[data-wave]"),
      media: audio,
      peaks,
      duration,
      height: (split ? 56 : 96) / (compact ? 2 : 1),
      splitChannels: split ? channelColours.map((c) => ({ waveColor: c, progressColor: c, overlay: false })) : undefined,
      waveColor: split ? undefined : "#7c8796",
      progressColor: split ? undefined : "#3d4757",
      cursorColor: "#111",
      cursorWidth: 2,
      normalize: true,
      dragToSeek: true,
      autoScroll: true,
      autoCenter: true,
      plugins: [regions, WaveSurfer.Timeline.create({ container: root.querySelector("[data-ruler]"), height: 18 })],
    });

    const playButton = root.querySelector('[data-action="play"]');
    const clock = root.querySelector("[data-current]");
    const speed = root.querySelector("[data-speed]");
    const zoom = root.querySelector("[data-zoom]");
    const rangeStatus = root.querySelector("[data-range-status]");

    const now = () => ws.getCurrentTime();
    const seek = (t) => ws.setTime(Math.min(Math.max(0, t), duration));

    function showTime(t) {
      clock.textContent = formatTime(t);
      const index = lastAtOrBefore(starts, t);
      if (index === currentTurn) return;
      turns[currentTurn]?.classList.remove("current");
      currentTurn = index;
      const li = turns[index];
      if (!li) return;
      // Playing or seeking into a chunk not loaded yet: htmx loads it (once) on this event, as when it scrolls into view.
      if (li.dataset.chunkStart !== undefined) window.htmx?.trigger(li, "intersect");
      else li.classList.add("current");
      // Follow playback unless the reader scrolled the transcript in the last few seconds.
      if (Date.now() > followUntil) scrollToTurn(li);
    }

    ws.on("timeupdate", showTime);
    // The words come from the page, in its language.
    const playText = playButton.textContent;
    ws.on("play", () => { playButton.textContent = playButton.dataset.pauseText; });
    ws.on("pause", () => { playButton.textContent = playText; });
    playButton.addEventListener("click", () => ws.playPause());
    // No recording to play (none yet, or held until redaction; the page says so), or one that failed to load: the
    // button is disabled and Space does nothing, rather than "playing" silence with a Pause label.
    function audioFailed() {
      if (!audio.hasAttribute("src")) return;
      ws.pause();
      playButton.disabled = true;
      playButton.textContent = playText;
      const why = root.querySelector("[data-audio-failed]");
      why.hidden = false;
      playButton.setAttribute("aria-describedby", why.id);
    }
    audio.addEventListener("error", audioFailed);
    // The audio loads from the page's markup: on a busy machine it can fail before this script has run.
    if (audio.error) audioFailed();

    function setSpeed(rate) {
      ws.setPlaybackRate(rate, true);
      speed.value = String(rate);
    }
    speed.addEventListener("change", () => setSpeed(parseFloat(speed.value)));
    zoom.addEventListener("input", () => ws.zoom(parseInt(zoom.value, 10)));
    function stepZoom(delta) {
      zoom.value = String(Math.min(300, Math.max(0, parseInt(zoom.value, 10) + delta)));
      ws.zoom(parseInt(zoom.value, 10));
    }

    if (transcript) {
      transcript.addEventListener("click", (e) => {
        const li = e.target.closest("li[data-start]");
        if (li) { followUntil = 0; seek(parseFloat(li.dataset.start)); }
      });
      for (const type of ["wheel", "touchmove"])
        transcript.addEventListener(type, () => { followUntil = Date.now() + 4000; }, { passive: true });
      // A chunk's lines replaced its placeholder: find the current line again, and once the new lines have their real
      // heights (the frame after next), bring it back into view if they moved it.
      new MutationObserver(() => {
        collectTurns();
        showTime(now());
        requestAnimationFrame(() => requestAnimationFrame(() => {
          if (turns[currentTurn] && Date.now() > followUntil) scrollToTurn(turns[currentTurn]);
        }));
      }).observe(transcript, { childList: true });
    }
    // Anything with data-seek (a marker in a list, a search hit) jumps there.
    document.addEventListener("click", (e) => {
      const target = e.target.closest("[data-seek]");
      if (target && !e.defaultPrevented) { seek(parseFloat(target.dataset.seek)); followUntil = 0; }
    });

    // Markers: colour bands on the waveform (regions) and, under it, one label per marker laid out in lanes
    // so close pins never print on top of each other. Labels are buttons: the full text shows on hover and
    // focus, a click (or Enter) jumps there.
    const strip = root.querySelector("[data-label-strip]");
    const track = strip?.querySelector("[data-label-track]");
    const detail = root.querySelector("[data-label-detail]");
    let markers = [];
    // The full text of the label under the pointer or focus, on a line of its own, so it is readable on a phone.
    for (const [type, show] of [["mouseover", true], ["focusin", true], ["mouseout", false], ["focusout", false]])
      track?.addEventListener(type, (e) => {
        const label = e.target.closest?.(".marker-label");
        if (label && detail) detail.textContent = show ? label.title : "";
      });

    function reveal(id, start) {
      seek(start);
      // A marker in a list of cards' markers stands for a card elsewhere on the page (data-cards + its id), shown or not.
      const marker = document.querySelector(`[data-marker][data-id="${CSS.escape(id)}"]`);
      const cards = marker?.closest("[data-cards]")?.dataset.cards;
      const item = cards ? document.getElementById(cards + id) : marker;
      // The page's scroll padding keeps it from under the player, not from under a heading stuck below it.
      if (item) { item.scrollIntoView({ block: "nearest" }); uncover(item, false); flash(item); }
    }
    function flash(item) {
      item.classList.add("flash-item");
      setTimeout(() => item.classList.remove("flash-item"), 1200);
    }

    function syncMarkers() {
      regions.clearRegions();
      rangeRegion = null;
      markers = [];
      track?.replaceChildren();
      for (const el of document.querySelectorAll("[data-marker]")) {
        const start = parseFloat(el.dataset.start), end = parseFloat(el.dataset.end);
        const id = el.dataset.id || Math.random().toString(36).slice(2);
        const text = el.dataset.label || "";
        const lane = el.dataset.lane;
        const colour = lane !== undefined ? LANE_COLOURS[parseInt(lane, 10) % LANE_COLOURS.length] : (KIND_COLOURS[el.dataset.kind] || "rgba(0,0,0,.25)");
        const region = regions.addRegion({
          id: "marker-" + id,
          start,
          end: Number.isFinite(end) && end > start ? end : start,
          color: colour,
          drag: false,
          resize: false,
        });
        region.element?.setAttribute("data-marker-id", id);
        region.element?.setAttribute("title", `${formatTime(start)} ${text}`);
        if (!track) continue;
        const label = document.createElement("button");
        label.type = "button";
        label.className = "marker-label";
        label.style.setProperty("--marker-colour", colour.replace(/[\d.]+\)$/, "0.9)"));
        label.addEventListener("click", () => reveal(id, start));
        track.appendChild(label);
        markers.push({ start, label, text, full: `${formatTime(start)} ${text}` });
      }
      // Audio muted for card data: a hatched grey band saying why on hover.
      for (const [i, el] of root.querySelectorAll("[data-muted]").entries()) {
        const region = regions.addRegion({
          id: "muted-" + i, start: parseFloat(el.dataset.start), end: parseFloat(el.dataset.end),
          color: "rgba(55, 65, 81, 0.28)", drag: false, resize: false,
        });
        if (!region.element) continue;
        region.element.setAttribute("title", el.title);
        region.element.style.backgroundImage = "repeating-linear-gradient(135deg, rgba(55, 65, 81, 0.35) 0 4px, transparent 4px 8px)";
        // On a split waveform only the lane of the channel that was muted is shaded.
        const channel = parseInt(el.dataset.channel, 10);
        if (split && Number.isInteger(channel)) Object.assign(region.element.style, { top: `${(channel * 100) / peaks.length}%`, height: `${100 / peaks.length}%` });
      }
      markers.sort((a, b) => a.start - b.start);
      layoutMarkers();
      showRange();
    }
    regions.on("region-clicked", (region, e) => {
      e.stopPropagation();
      reveal(region.id.replace(/^marker-/, ""), region.start);
    });

    /**
     * Greedy lanes: each label goes in the first lane that is free where it starts; a label that would end
     * past the right edge grows leftwards from its moment instead. Beyond MAX_LANES a label collapses to a
     * dot on a row of its own, and dots that would touch merge into one whose text lists them all; the full
     * text shows on hover and focus. So a crowd of pins stays a few lines tall and nothing prints over
     * anything else.
     */
    const MAX_LANES = 3, GAP = 4;
    function place(label, x, width) {
      const w = label.offsetWidth;
      const flip = x + w > width;
      label.classList.toggle("flip", flip);
      const left = flip ? x - w : x;
      label.style.left = left + "px";
      return { left, right: left + w };
    }
    function layoutMarkers() {
      if (!track || !duration) return;
      const width = Math.max(ws.getWrapper().scrollWidth, strip.clientWidth);
      track.style.width = width + "px";
      const laneEnds = [];
      let dot = null;
      for (const marker of markers) {
        const { start, label, text, full } = marker;
        label.classList.remove("collapsed");
        label.hidden = false;
        label.textContent = text;
        label.title = full;
        label.setAttribute("aria-label", full);
        const x = (start / duration) * width;
        const box = place(label, x, width);
        let lane = laneEnds.findIndex((end) => end + GAP <= box.left);
        if (lane === -1 && laneEnds.length < MAX_LANES) lane = laneEnds.length;
        if (lane !== -1) {
          label.style.top = `calc(${lane} * var(--marker-lane))`;
          laneEnds[lane] = box.right;
          continue;
        }
        if (dot && x < dot.right + GAP) {
          label.hidden = true;
          dot.label.textContent = dot.label.title = `${dot.label.title} · ${full}`;
          dot.label.setAttribute("aria-label", dot.label.title);
          continue;
        }
        label.textContent = full;
        label.classList.add("collapsed");
        label.style.top = `calc(${MAX_LANES} * var(--marker-lane))`;
        dot = { label, ...place(label, x, width) };
      }
      strip.style.setProperty("--marker-lanes", String(dot ? MAX_LANES + 1 : laneEnds.length));
      syncStripScroll();
    }
    function syncStripScroll() {
      if (track) track.style.transform = `translateX(${-ws.getScroll()}px)`;
    }
    ws.on("scroll", syncStripScroll);
    // Zooming and resizing redraw the waveform at a new width; the labels follow once it is drawn.
    ws.on("redrawcomplete", layoutMarkers);

    function showRange() {
      rangeRegion?.remove();
      rangeRegion = null;
      if (rangeStart === null) { rangeStatus.textContent = ""; return; }
      rangeStatus.textContent = rangeStatus.dataset.text.replace("{0}", formatTime(rangeStart));
      rangeRegion = regions.addRegion({ start: rangeStart, end: Math.max(rangeStart + 0.2, now()), color: "rgba(31, 95, 191, 0.18)", drag: false, resize: false });
    }

    const markUrl = root.dataset.markUrl, markTarget = root.dataset.markTarget;
    function openMark(start, end) {
      if (!markUrl || !window.htmx) return;
      const url = new URL(markUrl, location.href);
      url.searchParams.set("start", start.toFixed(3));
      if (end !== null) url.searchParams.set("end", end.toFixed(3));
      ws.pause();
      htmx.ajax("GET", url.pathname + url.search, { target: markTarget, swap: "innerHTML" });
    }
    document.addEventListener("click", (e) => {
      if (e.target.closest("[data-mark-now]")) openMark(now(), null);
    });

    // The player is sticky: keep its height in --player-height (the page's scroll padding, for anchors and
    // scrollIntoView) and bring what the reader is working on out from under it.
    new ResizeObserver(() => document.documentElement.style.setProperty("--player-height", root.offsetHeight + "px")).observe(root);
    /**
     * Scrolls the page so el's top sits just under the player (and its section's heading, when that sticks under the
     * player) when they cover it (or, with offScreen, when it is below the fold).
     */
    function uncover(el, offScreen) {
      const head = el.closest("section")?.querySelector(":scope > .page-head");
      const stuck = head && !head.contains(el) && !el.contains(head) && getComputedStyle(head).position === "sticky" ? head.offsetHeight : 0;
      const below = root.getBoundingClientRect().bottom + stuck + 8, top = el.getBoundingClientRect().top;
      if (top < below || offScreen && top > innerHeight - 48) window.scrollBy(0, top - below);
    }
    // A field that gets focus (or is reported invalid).
    document.addEventListener("focusin", (e) => {
      if (root.contains(e.target) || !(e.target instanceof HTMLElement)) return;
      requestAnimationFrame(() => uncover(e.target, false));
    });
    // An answer to something the reader did inside a section (the form opened by m, an edit opened, an annotation or
    // the scorecard saved): the part it marks data-uncover (the form, the saved card, the score or its errors) is
    // shown, not left under the player or scrolled past. Answers to other things (a suggestion accepted in the lane,
    // more cards) move nothing.
    let acted = null;
    document.addEventListener("htmx:beforeSwap", (e) => {
      const { target, requestConfig } = e.detail;
      acted = target?.id && (target.contains(requestConfig?.elt) || markTarget && target.matches(markTarget)) ? target.id : null;
      // An answer may change only parts of the section (a new annotation's): what an earlier answer marked is not this one's.
      if (acted) target.querySelectorAll("[data-uncover=true]").forEach((el) => { el.dataset.uncover = "false"; });
    });
    document.addEventListener("htmx:afterSettle", () => {
      const section = acted && document.getElementById(acted);
      acted = null;
      const shown = section?.querySelector("[data-uncover=true]") ?? (section?.matches("[data-uncover=true]") ? section : null);
      if (!shown) return;
      uncover(shown, true);
      if (shown.matches(".annotation")) flash(shown);
      shown.querySelector("[autofocus]")?.focus({ preventScroll: true });
    });

    const help = root.querySelector("[data-help]");
    root.querySelector('[data-action="help"]').addEventListener("click", () => help.showModal());

    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && isTyping(e.target)) { e.target.blur(); return; }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || help.open && e.key !== "?") return;
      switch (e.key) {
        case " ": if (!playButton.disabled) ws.playPause(); break;
        case "ArrowLeft": seek(now() - SEEK_STEP); break;
        case "ArrowRight": seek(now() + SEEK_STEP); break;
        case "m": if (!markUrl) return; rangeStart = null; showRange(); openMark(now(), null); break;
        case "[": if (!markUrl) return; rangeStart = now(); showRange(); break;
        case "]": {
          if (!markUrl) return;
          const end = now();
          const start = rangeStart ?? Math.max(0, end - SEEK_STEP);
          rangeStart = null;
          showRange();
          if (end > start) openMark(start, end); else openMark(end, null);
          break;
        }
        case "<": case ",": setSpeed(SPEEDS[Math.max(0, SPEEDS.indexOf(parseFloat(speed.value)) - 1)]); break;
        case ">": case ".": setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(parseFloat(speed.value)) + 1)]); break;
        case "+": case "=": stepZoom(20); break;
        case "-": stepZoom(-20); break;
        case "?": help.open ? help.close() : help.showModal(); break;
        default: return;
      }
      e.preventDefault();
    });

    ws.on("ready", () => {
      syncMarkers();
      if (Number.isFinite(startAt)) seek(startAt);
      showTime(now());
      root.dataset.ready = "true";
    });
    // A transcript chunk changes no marker; with thousands of markers a redraw per chunk would be felt.
    document.addEventListener("htmx:afterSettle", (e) => { if (!transcript?.contains(e.target)) syncMarkers(); });

    root.timeline = { wavesurfer: ws, seek, currentTime: now, syncMarkers };
  }

  function start() {
    for (const root of document.querySelectorAll("[data-timeline]")) create(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
