// Glovebox dashboard: polls the coordinator's read-only JSON API. Every value is inserted as text (never as HTML),
// since hospital names and audit details come from certificates and peers.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function $(id) { return document.getElementById(id); }

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function fixed(v, digits) { return v === null || v === undefined ? "—" : Number(v).toFixed(digits); }

function seconds(ms) {
  if (ms === null || ms === undefined) return "never";
  return ms < 1000 ? ms + " ms ago" : (ms / 1000).toFixed(1) + " s ago";
}

function replaceRows(tbody, rows) {
  while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
  rows.forEach(r => tbody.appendChild(r));
}

async function getJson(path) {
  const r = await fetch(path, { cache: "no-store" });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

function renderStatus(s) {
  $("study").textContent = s.study + " · id " + s.studyId.substring(0, 16) + "… · " + s.hospitals.length
      + " hospitals, any " + s.threshold + " decrypt · " + (s.encrypted ? s.parameters : "plaintext aggregation");
  $("phase").textContent = s.finished ? "finished" : s.phase.toLowerCase();
  $("round").textContent = s.phase === "RELEASES" || s.finished
      ? (s.round === 0 ? "statistics" : Math.min(s.round, s.rounds) + " / " + s.rounds) : "—";
  let step = s.step;
  if (!s.finished && s.phase === "RELEASES") {
    step += " · attempt " + s.attempt + " · open " + (s.roundMillis / 1000).toFixed(1) + " s, timeout in "
        + (s.deadlineMillis / 1000).toFixed(1) + " s";
  }
  $("step").textContent = step;
  replaceRows($("hospitals"), s.hospitals.map(h => {
    const tr = document.createElement("tr");
    const name = cell(tr, "");
    const dot = document.createElement("span");
    dot.className = "dot " + (h.online ? "on" : h.identified ? "off" : "");
    name.appendChild(dot);
    name.appendChild(document.createTextNode(h.name));
    cell(tr, h.online ? "online" : h.identified ? "offline" : "not yet connected");
    cell(tr, seconds(h.lastSeenMillis));
    cell(tr, s.finished ? "—" : h.submitted ? "yes" : "waiting", h.submitted ? "ok" : "");
    cell(tr, h.decrypting ? "yes" : "");
    return tr;
  }));
}

function renderRounds(rounds) {
  const trained = rounds.filter(r => r.round > 0);
  const last = trained.length ? trained[trained.length - 1] : null;
  $("auc").textContent = last ? fixed(last.auc, 4) : "—";
  $("epsilon").textContent = last ? fixed(last.epsilon, 2) : "—";
  replaceRows($("rounds"), rounds.slice().reverse().map(r => {
    const tr = document.createElement("tr");
    cell(tr, r.round === 0 ? "0 (statistics)" : r.round + (r.trained ? "" : "*"), "num");
    cell(tr, r.participants.join(", "));
    cell(tr, r.decryptors.join(", "));
    cell(tr, r.round === 0 ? "—" : fixed(r.loss, 4), "num");
    cell(tr, r.round === 0 ? "—" : fixed(r.auc, 4), "num");
    cell(tr, r.round === 0 ? "—" : fixed(r.accuracy, 4), "num");
    cell(tr, fixed(r.epsilon, 2), "num");
    const bytes = Object.values(r.bytesSent);
    cell(tr, bytes.length ? Math.round(Math.max(...bytes) / 1024).toString() : "—", "num");
    cell(tr, (r.millis / 1000).toFixed(2) + " s", "num");
    return tr;
  }));
  drawChart(trained);
}

function drawChart(rounds) {
  const svg = $("chart");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const w = 640, h = 200, left = 36, right = 10, top = 10, bottom = 22;
  const axis = document.createElementNS(SVG, "path");
  axis.setAttribute("class", "axis");
  axis.setAttribute("d", `M${left},${top} V${h - bottom} H${w - right}`);
  svg.appendChild(axis);
  const points = rounds.filter(r => r.auc !== null || r.loss !== null);
  if (points.length === 0) return;
  const maxRound = Math.max(...points.map(r => r.round), 1);
  const maxLoss = Math.max(1, ...points.map(r => r.loss === null ? 0 : r.loss));
  const x = r => left + (w - left - right) * (points.length === 1 ? 0.5 : (r - 1) / Math.max(1, maxRound - 1));
  const y = v => top + (h - top - bottom) * (1 - v);
  for (const [key, scale] of [["auc", 1], ["loss", maxLoss]]) {
    const d = points.filter(r => r[key] !== null)
        .map((r, i) => (i ? "L" : "M") + x(r.round).toFixed(1) + "," + y(r[key] / scale).toFixed(1)).join(" ");
    if (!d) continue;
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("class", key);
    path.setAttribute("d", d);
    svg.appendChild(path);
  }
  for (const [v, label] of [[0, "0"], [1, "1"]]) {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", 4);
    t.setAttribute("y", y(v) + 3);
    t.textContent = label;
    svg.appendChild(t);
  }
  const t = document.createElementNS(SVG, "text");
  t.setAttribute("x", w - right - 60);
  t.setAttribute("y", h - 6);
  t.textContent = "round " + maxRound;
  svg.appendChild(t);
}

function renderAudit(a) {
  $("auditCount").textContent = a.entries;
  $("auditHead").textContent = a.head;
  replaceRows($("audit"), a.recent.slice().reverse().map(e => {
    const tr = document.createElement("tr");
    cell(tr, e.seq >= 0 ? String(e.seq) : "?", "num");
    cell(tr, e.time.replace("T", " ").replace(/\.\d+Z$/, "Z"));
    cell(tr, e.event);
    cell(tr, e.actor);
    cell(tr, e.details, "details");
    return tr;
  }));
}

function table(headers, rows) {
  const t = document.createElement("table");
  const thead = document.createElement("thead");
  const head = document.createElement("tr");
  headers.forEach(h => {
    const th = document.createElement("th");
    th.textContent = h;
    head.appendChild(th);
  });
  thead.appendChild(head);
  t.appendChild(thead);
  const body = document.createElement("tbody");
  rows.forEach(r => {
    const tr = document.createElement("tr");
    r.forEach((v, i) => cell(tr, v, i > 0 ? "num" : ""));
    body.appendChild(tr);
  });
  t.appendChild(body);
  return t;
}

function binLabel(edges, i) {
  const lo = i === 0 ? "(−∞" : "[" + edges[i - 1];
  const hi = i === edges.length ? "∞)" : edges[i] + ")";
  return lo + ", " + hi;
}

function heading(text) {
  const h = document.createElement("h3");
  h.textContent = text;
  return h;
}

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

function renderCorrelationAndTables(s) {
  const corr = $("statsCorrelation");
  clear(corr);
  if (s.covariance) {
    corr.appendChild(heading("Correlation"));
    const names = s.features.map(f => f.name);
    corr.appendChild(table([""].concat(names), s.covariance.map((row, i) => [names[i]].concat(row.map((c, j) => {
      const d = Math.sqrt(s.covariance[i][i] * s.covariance[j][j]);
      return d > 0 ? (c / d).toFixed(3) : "—";
    })))));
  }
  const box = $("statsCrossTables");
  clear(box);
  for (const t of s.crossTables) {
    box.appendChild(heading("Patients (positive) by " + t.rowFeature + " and " + t.columnFeature));
    const cols = t.columnEdges.length + 1;
    const headers = [t.rowFeature + " \\ " + t.columnFeature];
    for (let j = 0; j < cols; j++) headers.push(binLabel(t.columnEdges, j));
    const rows = [];
    for (let i = 0; i < t.rowEdges.length + 1; i++) {
      const r = [binLabel(t.rowEdges, i)];
      for (let j = 0; j < cols; j++) r.push(t.counts[i * cols + j] + " (" + t.positives[i * cols + j] + ")");
      rows.push(r);
    }
    box.appendChild(table(headers, rows));
  }
}

function renderStatistics(s) {
  $("statsSection").hidden = false;
  $("roundsSection").hidden = true;
  if (s === null) return;
  $("epsilon").textContent = s.privacy ? String(s.privacy.epsilon) : "0 (exact)";
  const rate = s.patients ? (100 * s.positives / s.patients).toFixed(1) + " %" : "—";
  $("statsSummary").textContent = s.patients + " patients at " + s.hospitals.length + " hospitals ("
      + s.hospitals.join(", ") + "), " + s.positives + " with a positive outcome (" + rate + ")"
      + (s.privacy ? "; differentially private: ε " + s.privacy.epsilon + ", δ " + s.privacy.delta
          + ", noise on every count ±" + s.privacy.countNoiseStd.toFixed(1) + " (std)" : "; exact");
  replaceRows($("statsFeatures"), s.features.map(f => {
    const tr = document.createElement("tr");
    cell(tr, f.name);
    cell(tr, f.mean === null ? "—" : Number(f.mean).toPrecision(6), "num");
    cell(tr, Math.sqrt(f.variance).toPrecision(6), "num");
    return tr;
  }));
  const box = $("statsHistograms");
  while (box.firstChild) box.removeChild(box.firstChild);
  for (const h of s.histograms) {
    const title = document.createElement("h3");
    title.textContent = "Histogram of " + h.feature;
    box.appendChild(title);
    const table = document.createElement("table");
    const head = document.createElement("tr");
    ["Bin", "Patients", "Positive", "Rate", ""].forEach(t => {
      const th = document.createElement("th");
      th.textContent = t;
      head.appendChild(th);
    });
    const thead = document.createElement("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    const body = document.createElement("tbody");
    const max = Math.max(1, ...h.counts);
    h.counts.forEach((n, i) => {
      const tr = document.createElement("tr");
      cell(tr, binLabel(h.edges, i));
      cell(tr, String(n), "num");
      cell(tr, String(h.positives[i]), "num");
      cell(tr, n ? (100 * h.positives[i] / n).toFixed(1) + " %" : "—", "num");
      const bars = cell(tr, "", "barcell");
      for (const [v, cls] of [[n - h.positives[i], "bar"], [h.positives[i], "bar pos"]]) {
        const b = document.createElement("span");
        b.className = cls;
        b.style.width = (100 * v / max).toFixed(2) + "%";
        bars.appendChild(b);
      }
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
  }
  renderCorrelationAndTables(s);
}

async function verify() {
  const out = $("verifyResult");
  out.textContent = "verifying…";
  out.className = "";
  try {
    const v = await getJson("api/audit/verify");
    out.textContent = v.message;
    out.className = v.ok ? "ok" : "bad";
  } catch (e) {
    out.textContent = e.message;
    out.className = "bad";
  }
}

async function refresh() {
  try {
    const [s, r, a] = await Promise.all([getJson("api/status"), getJson("api/rounds"), getJson("api/audit")]);
    renderStatus(s);
    renderRounds(r);
    renderAudit(a);
    if (s.statisticsOnly) renderStatistics(await getJson("api/statistics"));
    return s.finished;
  } catch (e) {
    $("study").textContent = "coordinator unreachable: " + e.message;
    return false;
  }
}

async function loop() {
  const finished = await refresh();
  setTimeout(loop, finished ? 15000 : 1500);
}

async function loadPlan() {
  try {
    const lines = await getJson("api/plan");
    const ul = $("plan");
    clear(ul);
    lines.forEach(l => {
      const li = document.createElement("li");
      li.textContent = l.replace(/^\s*-\s*/, "");
      if (/^\s+-/.test(l)) li.className = "sub";
      ul.appendChild(li);
    });
  } catch (e) {
    $("plan").textContent = e.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("verify").addEventListener("click", verify);
  loadPlan();
  loop();
});
