// Telaah review page. Every piece of corpus text goes into the page through textContent
// (never innerHTML), so a transcript containing markup or script is shown as text.
"use strict";

const token = document.body.dataset.token;
const $ = (id) => document.getElementById(id);
const LABELS = {
  indicator: "indikator", obstacle: "hambatan", effort: "upaya",
  supporting_factor: "faktor pendukung", other: "lainnya",
  internal: "internal", external: "eksternal",
  positive: "positif", negative: "negatif", mixed: "campuran", neutral: "netral",
  head: "pimpinan", staff: "staf", facilitator: "pendamping", citizen: "warga",
};
let state = null;
let current = null;
let offset = 0;
let busy = false;

async function api(method, path, body) {
  const options = { method, headers: { "X-Telaah-Token": token } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const payload = await response.json();
  if (!response.ok) throw new Error(payload.error || response.statusText);
  return payload;
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function fillSelect(select, values, blank) {
  const keep = select.value;
  select.replaceChildren();
  if (blank !== undefined) select.append(new Option(blank, ""));
  for (const v of values) {
    const [value, label] = Array.isArray(v) ? v : [v, LABELS[v] || v];
    select.append(new Option(label, value));
  }
  select.value = keep;
}

function say(text, error) {
  $("message").textContent = text || "";
  $("message").className = error ? "error" : "";
}

function filterQuery() {
  const params = new URLSearchParams();
  for (const [name, id] of [["indicator", "f-indicator"], ["function", "f-function"],
    ["source", "f-source"], ["min_conf", "f-min"], ["max_conf", "f-max"]]) {
    if ($(id).value !== "") params.set(name, $(id).value);
  }
  params.set("offset", String(offset));
  return params.toString();
}

function showProgress(p) {
  const box = $("progress");
  box.replaceChildren();
  for (const [label, value] of [["ditinjau", p.reviewed], ["setuju", p.agreed],
    ["diubah", p.changed], ["ditolak", p.rejected], ["total", p.total]]) {
    const span = el("span", label + " ");
    span.append(el("b", value));
    span.dataset.key = label;
    box.append(span);
  }
}

function suggestionRow(label, value, confidence) {
  const tr = el("tr");
  tr.append(el("td", label));
  const td = el("td", value === null || value === undefined ? "—" : (LABELS[value] || value));
  if (confidence !== undefined && confidence !== null) {
    const bar = el("span", null, "bar");
    bar.style.width = Math.round(confidence * 80) + "px";
    td.append(bar, el("span", confidence.toFixed(2), "conf"));
  }
  tr.append(td);
  return tr;
}

function showSegment(data) {
  current = data.segment;
  showProgress(data.progress);
  $("remaining").textContent = data.remaining + " tersisa";
  const has = Boolean(current);
  $("empty").hidden = has;
  for (const id of ["accept", "reject", "save-change"]) $(id).disabled = !has;
  $("skip").disabled = !has;
  $("empty").textContent = offset > 0
    ? "Akhir antrean. Tekan K untuk kembali ke segmen yang dilewati."
    : "Tidak ada segmen tersisa untuk filter ini.";
  // with nothing to review, show neither a stale suggestion nor a stale change form
  $("suggestion").hidden = !has;
  $("change").hidden = !has;
  $("source").replaceChildren();
  $("question").replaceChildren();
  $("context").replaceChildren();
  $("suggestion").tBodies[0].replaceChildren();
  if (!has) return;
  const src = data.context && data.context.source;
  const role = current.role || (src && src.role) || "";
  const categoryLabel = LABELS[current.role_category] || current.role_category || "";
  const category = current.role_category && current.role_category !== "unknown" &&
    categoryLabel.toLowerCase() !== role.toLowerCase() ? categoryLabel : "";
  $("source").textContent = [current.source_name, role, category].filter(Boolean).join(" · ");
  const turns = data.context ? data.context.turns : [];
  // The question is shown on its own only when the interviewer's turn is not in the context.
  if (current.question && !turns.some((t) => t.kind === "interviewer" && t.text.trim() === current.question.trim())) {
    $("question").textContent = "Pertanyaan: " + current.question;
  }
  $("question").hidden = $("question").textContent === "";
  for (const turn of turns) {
    const div = el("div", null, "turn " + turn.kind + (turn.current ? " current" : ""));
    div.append(el("span", turn.speaker + ":", "who"));
    if (turn.current && turn.mark) {
      const [a, b] = turn.mark;
      div.append(document.createTextNode(turn.text.slice(0, a)), el("mark", turn.text.slice(a, b)),
        document.createTextNode(turn.text.slice(b)));
    } else {
      div.append(document.createTextNode(turn.text));
    }
    $("context").append(div);
  }
  if (!data.context || data.context.turns.length === 0) $("context").append(el("mark", current.text));
  const body = $("suggestion").tBodies[0];
  body.append(
    suggestionRow("Indikator", current.indicator, current.indicator ? current.indicator_score : null),
    suggestionRow("Fungsi", current.function, current.function_score),
    suggestionRow("Lingkup", current.scope),
    suggestionRow("Penilaian", current.assessment),
  );
  const alternatives = (current.scores.indicators || []).slice(0, 3)
    .map((i) => i.id + " " + i.score.toFixed(2)).join(", ");
  if (alternatives) body.append(suggestionRow("Peringkat", alternatives));
  $("c-indicator").value = current.indicator || "";
  $("c-function").value = current.function || "other";
  $("c-scope").value = current.scope || "";
  $("c-assessment").value = current.assessment || "";
}

// Filter changes can fire requests faster than they return; only the newest one may be shown,
// or a slow answer to an older filter would put a segment on screen that the filter excludes.
let requested = 0;

async function loadNext() {
  const mine = ++requested;
  try {
    const data = await api("GET", "/api/next?" + filterQuery());
    if (mine === requested) showSegment(data);
  } catch (err) { if (mine === requested) say(err.message, true); }
}

async function decide(action, labels) {
  if (!current || busy) return;
  busy = true;
  try {
    const data = await api("POST", "/api/review", { segment_id: current.id, action, ...(labels || {}) });
    showProgress(data.progress);
    say({ accept: "Diterima", change: "Diubah", reject: "Ditolak" }[action] + ": " + current.id);
    offset = 0;
    await loadNext();
  } catch (err) { say(err.message, true); } finally { busy = false; }
}

function changeLabels() {
  return {
    indicator: $("c-indicator").value || null,
    function: $("c-function").value,
    scope: $("c-scope").value || null,
    assessment: $("c-assessment").value || null,
  };
}

async function undo() {
  try {
    const data = await api("POST", "/api/undo", {});
    say(data.segment_id ? "Dibatalkan: " + data.segment_id : "Tidak ada yang bisa dibatalkan");
    offset = 0;
    await loadNext();
  } catch (err) { say(err.message, true); }
}

async function pollRetrain() {
  const s = await api("GET", "/api/retrain");
  const box = $("retrain-status");
  if (s.status === "running") {
    box.textContent = "Melatih ulang… (mulai " + s.started + ")";
    setTimeout(pollRetrain, 1000);
  } else if (s.status === "done") {
    box.textContent = "Model baru " + s.result.version + " dari " + s.result.n_reviewed +
      " segmen tinjauan" + (s.result.promoted ? ", dipromosikan; saran diperbarui." : ".");
    $("retrain").disabled = false;
    await loadNext();
  } else if (s.status === "failed") {
    box.textContent = "Gagal melatih ulang: " + s.error;
    $("retrain").disabled = false;
  }
}

async function retrain() {
  $("retrain").disabled = true;
  try { await api("POST", "/api/retrain", {}); await pollRetrain(); } catch (err) {
    say(err.message, true); $("retrain").disabled = false;
  }
}

function typing(event) {
  const t = event.target;
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement;
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) {
    if ((event.ctrlKey || event.metaKey) && event.key === "z") { event.preventDefault(); undo(); }
    return;
  }
  if (event.key === "Escape") { document.activeElement.blur(); return; }
  if (typing(event)) return;
  const inSelect = event.target instanceof HTMLSelectElement;
  const key = event.key.toLowerCase();
  if (/^[1-9]$/.test(key)) {
    const indicator = state.choices.indicators[Number(key) - 1];
    if (indicator) { event.preventDefault(); decide("change", { ...changeLabels(), indicator, function: "indicator" }); }
    return;
  }
  if (inSelect) {
    if (key === "enter" && event.target.closest("#change")) { event.preventDefault(); decide("change", changeLabels()); }
    return;
  }
  const actions = {
    a: () => decide("accept"), r: () => decide("reject"), u: () => undo(),
    j: () => { if (current) { offset += 1; loadNext(); } },
    k: () => { offset = Math.max(0, offset - 1); loadNext(); },
    c: () => $("c-indicator").focus(),
  };
  if (actions[key]) { event.preventDefault(); actions[key](); }
}

async function init() {
  state = await api("GET", "/api/state");
  $("who").textContent = "Pengode: " + state.coder + " · kodebuku " + (state.codebook || "?");
  fillSelect($("f-indicator"), [...state.facets.indicators, ["(none)", "(tanpa indikator)"]], "semua");
  fillSelect($("f-function"), state.facets.functions, "semua");
  fillSelect($("f-source"), state.facets.sources.map((s) => [s.source_id,
    [s.name, s.role].filter(Boolean).join(" · ")]), "semua");
  fillSelect($("c-indicator"), state.choices.indicators.map((v, i) => [v, (i < 9 ? (i + 1) + " " : "") + v]), "(tanpa indikator)");
  fillSelect($("c-function"), state.choices.functions);
  fillSelect($("c-scope"), state.choices.scopes, "—");
  fillSelect($("c-assessment"), state.choices.assessments, "—");
  $("retrain").disabled = !state.can_retrain;
  $("export").href = "/api/export?token=" + encodeURIComponent(token);
  showProgress(state.progress);
  $("filters").addEventListener("change", () => { offset = 0; loadNext(); });
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); offset = 0; loadNext(); });
  $("f-clear").addEventListener("click", () => { $("filters").reset(); offset = 0; loadNext(); });
  $("accept").addEventListener("click", () => decide("accept"));
  $("reject").addEventListener("click", () => decide("reject"));
  $("skip").addEventListener("click", () => { offset += 1; loadNext(); });
  $("undo").addEventListener("click", undo);
  $("retrain").addEventListener("click", retrain);
  $("change").addEventListener("submit", (e) => { e.preventDefault(); decide("change", changeLabels()); });
  document.addEventListener("keydown", onKey);
  if (state.retrain.status === "running") pollRetrain();
  await loadNext();
}

init().catch((err) => say(err.message, true));
