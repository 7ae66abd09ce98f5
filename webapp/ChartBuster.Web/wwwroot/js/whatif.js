// The predict page, live: a slider beside every number, and every change re-scores the song through the JSON API
// (debounced), redrawing the answer, the explanation, the what-if curves, the closest hits and the decade time
// machine in place, and keeping the address bar a link to the song. Without this script the page is a plain form
// that does all of it on the server. Same-site file, no inline code: the strict content security policy holds.
"use strict";

(() => {
  const form = document.getElementById("song-form");
  if (!form) return;
  // The probability at which a song is called a hit: the page writes it from the server's one definition.
  const threshold = Number(form.dataset.threshold);
  const SVG = "http://www.w3.org/2000/svg";
  const keyNames = ["C", "C♯/D♭", "D", "D♯/E♭", "E", "F", "F♯/G♭", "G", "G♯/A♭", "A", "A♯/B♭", "B"];
  let pending = null;
  let timer = 0;

  // ---- values -------------------------------------------------------------------------------------------------
  const pct = (p) => `${(p * 100).toFixed(1)} %`;
  const points = (e) => `${e >= 0 ? "+" : "−"}${Math.abs(e * 100).toFixed(1)}`;
  const seconds = (text) => {
    const parts = String(text).trim().split(":");
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "" || isNaN(Number(p)))) return NaN;
    return parts.reduce((total, p) => total * 60 + Number(p), 0);
  };
  const mss = (s) => {
    const whole = Math.round(s);
    const h = Math.floor(whole / 3600), m = Math.floor((whole % 3600) / 60), r = whole % 60;
    const two = (n) => String(n).padStart(2, "0");
    return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
  };
  const display = (input, v) => {
    switch (input) {
      case "key": return v >= 0 && v <= 11 ? keyNames[v] : "unknown";
      case "mode": return v === 1 ? "major" : "minor";
      case "duration_ms": return mss(v / 1000);
      case "time_signature": case "sections": return String(Math.round(v));
      case "tempo": case "chorus_hit": case "loudness": return String(Math.round(v * 10) / 10);
      default: return String(Math.round(v * 1000) / 1000);
    }
  };
  const slotName = (input) => (input === "duration_ms" ? "duration" : input);

  /** The song as the API reads it: numbers as numbers, the length as m:ss, blanks left out. */
  function song() {
    const body = {};
    for (const el of form.elements) {
      if (!el.name || el.name === "__RequestVerificationToken" || el.value.trim() === "") continue;
      if (el.name === "duration") body.duration = el.value.trim();
      else if (el.name === "decade") body.decade = Number(el.value);
      else body[el.name] = Number.isNaN(Number(el.value)) ? el.value : Number(el.value);
    }
    return body;
  }

  function query() {
    const params = new URLSearchParams();
    for (const el of form.elements) {
      if (el.name && el.name !== "__RequestVerificationToken" && el.value.trim() !== "") params.set(el.name, el.value.trim());
    }
    return params.toString();
  }

  // ---- sliders ------------------------------------------------------------------------------------------------
  for (const input of form.querySelectorAll("input[data-slider-min]")) {
    const isDuration = input.dataset.kind === "duration";
    const slider = document.createElement("input");
    slider.type = "range";
    slider.min = input.dataset.sliderMin;
    slider.max = input.dataset.sliderMax;
    slider.step = input.dataset.sliderStep;
    slider.setAttribute("aria-label", `${form.querySelector(`label[for="${input.id}"]`).textContent.trim()}, slider`);
    const fromText = () => {
      const v = isDuration ? seconds(input.value) : Number(input.value);
      if (input.value.trim() !== "" && !Number.isNaN(v)) slider.value = String(v);
    };
    fromText();
    slider.addEventListener("input", () => {
      input.value = isDuration ? mss(Number(slider.value)) : slider.value;
      input.placeholder = "";
      changed();
    });
    input.addEventListener("input", fromText);
    input.after(slider);
  }
  form.addEventListener("input", (e) => { if (e.target.type !== "range") changed(); });
  form.addEventListener("change", (e) => { if (e.target.tagName === "SELECT") changed(); });
  form.addEventListener("submit", (e) => { e.preventDefault(); rescore(); });

  function changed() {
    clearTimeout(timer);
    document.getElementById("result")?.classList.add("busy");
    timer = setTimeout(rescore, 200);
  }

  // ---- scoring ------------------------------------------------------------------------------------------------
  async function rescore() {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    const body = JSON.stringify(song());
    const post = (url) => fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body, signal: controller.signal });
    try {
      const [explained, curves] = await Promise.all([post(form.dataset.explain), post(form.dataset.curves)]);
      if (controller.signal.aborted) return;
      if (explained.status === 400) { showErrors((await explained.json()).errors || {}); return; }
      if (!explained.ok) {
        const why = { 503: "No model is loaded yet.", 429: "Too many changes at once; wait a few seconds, or press Predict." };
        failed(why[explained.status] || "The model could not answer; the form still works: press Predict.");
        return;
      }
      showErrors({});
      render(await explained.json(), curves.ok ? await curves.json() : null);
      history.replaceState(null, "", `/?${query()}`);
    } catch (error) {
      if (error.name !== "AbortError") failed("The site could not be reached; check the connection.");
    } finally {
      if (pending === controller) document.getElementById("result")?.classList.remove("busy");
    }
  }

  function failed(message) {
    const panel = document.getElementById("result");
    panel.className = "result-panel empty";
    panel.replaceChildren(el("h2", { id: "result-title" }, "The answer"), el("p", { id: "result-placeholder" }, message));
    document.getElementById("result-status").textContent = message;
    document.getElementById("score-dock").hidden = true;
  }

  function showErrors(errors) {
    document.getElementById("error-summary")?.remove();
    for (const field of form.querySelectorAll(".field")) {
      const name = field.dataset.field;
      const message = errors[name] || (name === "duration" ? errors.duration_ms : undefined);
      const control = document.getElementById(name);
      const slot = field.querySelector("[data-error-for]");
      field.classList.toggle("invalid", !!message);
      slot.textContent = message ? message[0] : "";
      if (control) {
        if (message) control.setAttribute("aria-invalid", "true"); else control.removeAttribute("aria-invalid");
        const described = [`${name}-help`, ...(message ? [`${name}-error`] : [])].join(" ");
        control.setAttribute("aria-describedby", described);
      }
    }
    if (Object.keys(errors).length > 0) {
      const panel = document.getElementById("result");
      panel.className = "result-panel empty";
      panel.replaceChildren(el("h2", { id: "result-title" }, "The answer"), el("p", { id: "result-placeholder" }, "Fix the inputs marked in the form to get an answer."));
      document.getElementById("result-status").textContent = "Fix the inputs marked in the form to get an answer.";
      document.getElementById("score-dock").hidden = true;
    }
  }

  // ---- drawing ------------------------------------------------------------------------------------------------
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  function svg(tag, attributes = {}, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    node.append(...children);
    return node;
  }

  function render(answer, curves) {
    const x = answer.explanation;
    const m = x.meaning;
    const era = m.decade ? `${m.decade}s ` : "";
    const panel = document.getElementById("result");
    panel.className = `result-panel ${answer.predictedHit ? "hit" : "miss"}`;
    const verdict = answer.predictedHit ? "Likely to chart" : "Unlikely to chart";
    const parts = [
      el("h2", { id: "result-title" }, "The answer"),
      el("div", { class: "headline" },
        el("p", { class: "probability", id: "hit-probability" }, pct(answer.hitProbability)),
        el("p", { class: "verdict", id: "verdict" }, verdict)),
      el("p", { class: "meaning", id: "meaning" },
        `A hit here means the song ${m.hit}.` + (m.baseRate === null ? "" : ` ${pct(m.baseRate)} of the training songs were hits, so read this as the model's confidence on that mix of songs, not as real-world odds.`)),
      rank(m, era),
      why(x, answer),
    ];
    if (x.closestHits.length > 0) parts.push(closest(x.closestHits, era));
    if (curves && curves.decades.length > 1) parts.push(timeMachine(curves.decades, m.decade));
    if (answer.imputed) parts.push(el("p", { class: "notice", id: "imputed" }, `Estimated from the length (medians of training songs of similar length): ${answer.imputed.join(", ")}.`));
    if (x.outOfRange.length > 0) {
      parts.push(el("div", { class: "notice", id: "out-of-range" }, el("p", {}, "Take this answer with care: the model is extrapolating."),
        el("ul", {}, ...x.outOfRange.map((n) => el("li", {}, n)))));
    }
    parts.push(el("p", { class: "share" }, el("a", { id: "share-link", href: `/?${query()}` }, "Link to this song"),
      el("span", { class: "version" }, "model ", el("span", { id: "model-version" }, answer.modelVersion))));
    panel.replaceChildren(...parts);
    document.getElementById("result-status").textContent = `${pct(answer.hitProbability)}, ${verdict.toLowerCase()}`;
    const dock = document.getElementById("score-dock");
    dock.hidden = false;
    dock.querySelector(".dock-probability").textContent = pct(answer.hitProbability);
    dock.querySelector(".dock-verdict").textContent = verdict.toLowerCase();
    if (curves) drawCurves(curves, answer.hitProbability);
  }

  function rank(m, era) {
    const p = el("p", { class: "rank", id: "rank" });
    if (m.amongHits === null || m.amongMisses === null) {
      p.append(`No rank: the model has too few held-out ${era}songs to compare with.`);
    } else {
      p.append("Scores higher than ", el("strong", {}, `${Math.round(m.amongHits * 100)} %`),
        ` of the ${era}songs that charted, and ${Math.round(m.amongMisses * 100)} % of those that did not (${m.heldOutHits + m.heldOutMisses} held-out ${era}songs the model never trained on).`);
    }
    return p;
  }

  function why(x, answer) {
    const shown = x.effects.filter((e) => e.effect !== 0);
    const largest = Math.max(0, ...shown.map((e) => Math.abs(e.effect)));
    const body = el("tbody", { id: "effects-body" }, ...shown.map((e) => el("tr", { class: e.effect >= 0 ? "up" : "down", "data-input": e.input },
      el("th", { scope: "row" }, e.label, " ", el("small", {}, `${display(e.input, e.value)} vs ${display(e.input, e.referenceValue)}`)),
      el("td", { class: "num" }, points(e.effect)),
      el("td", {}, bar(e.effect, largest)))));
    const same = x.effects.length - shown.length;
    const worst = Math.max(0, ...x.effects.map((e) => e.standardError));
    const method = x.method.startsWith("exact") ? "Exact Shapley values." : `Shapley values estimated from ${x.method.match(/\d+/)[0]} orders of the inputs (each ± ${(worst * 100).toFixed(1)} points at most).`;
    return el("section", { class: "why", id: "why", "aria-labelledby": "why-title" },
      el("h3", { id: "why-title" }, `Why: against ${x.reference.description.split(" (")[0]} (`, el("span", { id: "reference-probability" }, pct(x.reference.hitProbability)), ")"),
      el("table", { class: "effects", id: "effects" },
        el("caption", { class: "visually-hidden" }, "Each input's effect in percentage points"),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Input"), el("th", { scope: "col", class: "num" }, "Points"),
          el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Direction")))),
        body),
      el("p", { class: "small", id: "why-sum" },
        `The effects add up to the gap: ${pct(answer.hitProbability)} − ${pct(x.reference.hitProbability)} = ${points(x.gap)} points. ` +
        (same > 0 ? `${same} input${same === 1 ? "" : "s"} equal to the typical song's ha${same === 1 ? "s" : "ve"} no effect. ` : "") + method));
  }

  function bar(effect, largest) {
    const width = 120, height = 14, half = width / 2;
    const length = largest <= 0 ? 0 : (Math.abs(effect) / largest) * (half - 2);
    return svg("svg", { class: "effect-bar", "aria-hidden": "true", viewBox: `0 0 ${width} ${height}`, width, height },
      svg("line", { class: "chart-axis", x1: half, y1: 0, x2: half, y2: height, stroke: "#999" }),
      svg("rect", { class: effect >= 0 ? "bar-up" : "bar-down", x: (effect >= 0 ? half : half - length).toFixed(1), y: 2, width: length.toFixed(1), height: height - 4 }));
  }

  function closest(hits, era) {
    return el("section", { id: "closest", "aria-labelledby": "closest-title" },
      el("h3", { id: "closest-title" }, `Closest real hits${era ? ` of the ${era.trim()}` : ""}`),
      el("ol", { class: "closest", id: "closest-list" }, ...hits.map((h) => el("li", {}, el("a", { href: `/?song=${encodeURIComponent(h.id)}` }, h.title), " ", el("span", { class: "by" }, h.artist)))),
      el("p", { class: "small" }, "Nearest by danceability, energy, loudness, speechiness, acousticness, instrumentalness, liveness, valence, tempo and length, each standardised."));
  }

  function timeMachine(decades, own) {
    const width = 320, height = 150, bottom = 24, top = 18;
    const slot = width / decades.length;
    const chart = svg("svg", { id: "decades-chart", class: "chart", role: "img", viewBox: `0 0 ${width} ${height}`, width, height,
      "aria-label": "The same song's probability in each decade: " + decades.map((d) => `${d.decade}s ${Math.round(d.hitProbability * 100)}%`).join(", ") },
    svg("line", { class: "chart-axis", x1: 0, y1: height - bottom, x2: width, y2: height - bottom, stroke: "#999" }));
    decades.forEach((d, i) => {
      const h = d.hitProbability * (height - bottom - top);
      const x = i * slot + slot * 0.2;
      chart.append(
        svg("rect", { class: d.decade === own ? "chart-bar own" : "chart-bar", x: x.toFixed(1), y: (height - bottom - h).toFixed(1), width: (slot * 0.6).toFixed(1), height: h.toFixed(1) }),
        svg("text", { class: "chart-text", x: (x + slot * 0.3).toFixed(1), y: (height - bottom - h - 4).toFixed(1), "text-anchor": "middle", "font-size": 11 }, `${Math.round(d.hitProbability * 100)}%`),
        svg("text", { class: "chart-text", x: (x + slot * 0.3).toFixed(1), y: height - 7, "text-anchor": "middle", "font-size": 11 }, `${String(d.decade % 100).padStart(2, "0")}s`));
    });
    return el("section", { id: "time-machine", "aria-labelledby": "time-machine-title" },
      el("h3", { id: "time-machine-title" }, "Decade time machine"), el("div", { id: "decades" }, chart),
      el("p", { class: "small" }, "The same song scored as if it came out in each decade the model knows."));
  }

  function drawCurves(curves, probability) {
    const current = song();
    for (const curve of curves.curves) {
      const slot = document.getElementById(`curve-${slotName(curve.input)}`);
      if (!slot) continue;
      const scale = curve.input === "duration_ms" ? 1000 : 1;
      const min = Number(slot.dataset.min) * scale, max = Number(slot.dataset.max) * scale;
      const value = curve.input === "duration_ms" ? seconds(current.duration) * 1000 : Number(current[curve.input]);
      const own = curve.points.find((p) => p.value === value)?.hitProbability ?? probability;
      slot.replaceChildren(sparkline(curve, Number.isNaN(value) ? min : value, own, min, max));
    }
  }

  function sparkline(curve, value, probability, min, max) {
    const width = 160, height = 40, span = max - min;
    const x = (v) => (2 + (span <= 0 ? 0 : ((Math.min(Math.max(v, min), max) - min) / span) * (width - 4))).toFixed(1);
    const y = (p) => (height - 3 - p * (height - 6)).toFixed(1);
    const inRange = curve.points.filter((p) => p.value >= min && p.value <= max);
    const low = Math.min(...curve.points.map((p) => p.hitProbability)), high = Math.max(...curve.points.map((p) => p.hitProbability));
    return svg("svg", { class: "curve", role: "img", viewBox: `0 0 ${width} ${height}`, width, height,
      "aria-label": `${curve.label}: the probability runs from ${Math.round(low * 100)} % to ${Math.round(high * 100)} % across its range` },
    svg("line", { class: "chart-axis", x1: 2, y1: y(threshold), x2: width - 2, y2: y(threshold), stroke: "#bbb", "stroke-dasharray": "3 3" }),
    svg("path", { class: "chart-line", d: inRange.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.value)},${y(p.hitProbability)}`).join(" "), fill: "none", "stroke-width": 2 }),
    svg("circle", { class: "chart-marker", cx: x(value), cy: y(probability), r: 4 }));
  }

  // ---- start from a real song: results as you type --------------------------------------------------------------
  const find = document.getElementById("find");
  const found = document.getElementById("found");
  let searchTimer = 0;
  find?.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
      const q = find.value.trim();
      if (q.length < 2) { found.replaceChildren(); return; }
      const response = await fetch(`/api/songs?q=${encodeURIComponent(q)}&limit=12`, { headers: { accept: "application/json" } });
      if (!response.ok) return;
      const songs = await response.json();
      found.replaceChildren(...(songs.length === 0
        ? [el("li", { class: "none" }, `No training song matches “${q}”.`)]
        : songs.map((s) => el("li", {}, el("a", { href: `/?song=${encodeURIComponent(s.id)}` }, s.title), " ",
          el("span", { class: "by" }, `${s.artist} · ${s.decade}s · ${s.charted ? "charted" : "did not chart"}`)))));
    }, 200);
  });
})();
