// gmgate console: plain JS, no framework, no CDN. Every value from the server goes in as text
// (textContent), never as HTML: a mode reason or an account is data, not markup.
'use strict';

const state = { token: sessionStorage.getItem('gmgate.token') || '', may: {}, timers: [], settings: [] };
const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: Object.assign({ 'Authorization': 'Bearer ' + state.token },
      body ? { 'Content-Type': 'application/json' } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error((json.code ? json.code + ' ' : '') + (json.message || res.status));
    err.status = res.status;
    throw err;
  }
  return json.result;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function fill(tableId, rows, build) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren(...rows.map(build));
}

function tr(cells, cls) {
  const row = el('tr', null, cls);
  cells.forEach((c) => row.appendChild(c instanceof Node ? c : el('td', c)));
  return row;
}

function say(id, text, ok) {
  const p = $(id);
  p.textContent = text;
  p.className = ok ? 'ok' : 'error';
}

// ---- login and roles ----
async function login(token) {
  state.token = token;
  try {
    const me = await api('GET', '/admin/v1/whoami');
    sessionStorage.setItem('gmgate.token', token);
    state.may = me.may;
    $('operator').textContent = me.name;
    $('role').textContent = me.roles.join(', ');
    document.querySelectorAll('[data-needs]').forEach((e) => { e.hidden = !state.may[e.dataset.needs]; });
    $('login').hidden = true;
    $('nav').hidden = false;
    $('who').hidden = false;
    show(location.hash.slice(1) || 'overview');
  } catch (e) {
    sessionStorage.removeItem('gmgate.token');
    say('login-error', e.status === 401 ? 'That token is not valid (' + e.message + ')' : e.message);
  }
}

$('login-form').addEventListener('submit', (ev) => { ev.preventDefault(); login($('token').value.trim()); });
$('logout').addEventListener('click', () => { sessionStorage.removeItem('gmgate.token'); location.hash = ''; location.reload(); });
window.addEventListener('hashchange', () => { if (state.token && $('login').hidden) show(location.hash.slice(1)); });

const pages = { overview: overview, modes: modes, terminals: terminals, certificates: certificates, audit: audit, charts: charts };

function show(name) {
  if (!pages[name]) name = 'overview';
  state.timers.forEach(clearInterval);
  state.timers = [];
  document.querySelectorAll('.page').forEach((p) => { p.hidden = p.id !== 'page-' + name; });
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === name));
  const load = () => pages[name]().catch((e) => console.error(e));
  load();
  // the audit page verifies the whole chain in the card: not every other second
  state.timers.push(setInterval(load, name === 'charts' ? 1000 : name === 'audit' ? 15000 : 2000));
}

// ---- overview ----
async function overview() {
  const site = await api('GET', '/admin/v1/console/site');
  $('members').textContent = 'Cluster members: ' + site.members.join(', ');
  fill('nodes', site.nodes, (n) => {
    const checks = el('td');
    n.checks.forEach((c) => checks.appendChild(el('span', c.name + ': ' + c.status + ' — ' + c.detail,
      'check ' + (c.status === 'UP' ? 'up' : 'down'))));
    const row = tr([n.name, el('td', n.ready ? 'READY' : 'NOT READY', 'ready'), checks, n.card, n.mode, n.online],
      n.ready ? 'up' : 'down');
    row.id = 'node-' + n.name;
    return row;
  });
  const list = (id, items, text) => $(id).replaceChildren(...items.map((i) => el('li', text(i), i.up ? 'ok' : 'error')));
  list('ca-lines', site.caLines, (c) => c.name + ': ' + c.detail);
  list('cosign-nodes', site.cosignNodes, (c) => c.name + ' ' + c.address + (c.up ? ' up' : ' DOWN') + ' (seen from ' + c.from + ')');
  list('trading-fronts', site.fronts, (c) => c.name + ' ' + c.address + (c.up ? ' up' : ' DOWN') + ' (seen from ' + c.from + ')');
  $('overview-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
}

// ---- modes ----
function countdown(expiresAt) {
  if (!expiresAt) return 'no end';
  const s = Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
  return Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
}

async function modes() {
  const t = await api('GET', '/admin/v1/console/modes');
  $('effective-mode').textContent = t.effective;
  state.settings = t.settings;
  drawModes();
  fill('mode-history', t.history, (h) => tr([h.at, h.scope, h.from + ' → ' + h.to, h.operator, h.origin, h.reason]));
}

function drawModes() {
  fill('mode-table', state.settings, (s) => {
    const row = tr([s.scope, s.mode, s.origin, s.reason, s.operator, el('td', countdown(s.expiresAt), 'ttl')]);
    row.id = 'mode-' + s.scope.replace(/[^A-Za-z0-9]/g, '_');
    return row;
  });
}
setInterval(() => { if (!$('page-modes').hidden) drawModes(); }, 1000);

const effects = {
  NORMAL: 'Terminals use two-way TLCP (certificate and co-signing) only. Connections admitted one-way or plain are closed.',
  ONE_WAY: 'New terminals may connect with one-way TLCP and log in in-band; two-way connections stay. Terminals accept it only with the signed policy published now.',
  BYPASS: 'The bypass listeners open: terminals may trade over the plain path with no GM protection. Terminals follow only the signed BYPASS policy published now, and it lapses by itself.',
};

$('mode-preview').addEventListener('click', () => {
  const mode = $('mode-value').value;
  const ttl = $('mode-ttl').value;
  $('mode-effect-text').textContent = $('mode-scope').value + ' → ' + mode + ' for ' + ttl + ' min. ' + effects[mode];
  $('mode-effect').hidden = false;
});

$('mode-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const reason = $('mode-reason').value.trim();
  if (!reason) { say('mode-result', 'A reason is required.'); return; }
  try {
    const r = await api('PUT', '/admin/v1/console/mode', { scope: $('mode-scope').value.trim(), mode: $('mode-value').value,
      reason, ttl: 'PT' + Math.max(1, parseInt($('mode-ttl').value, 10) || 30) + 'M' });
    const p = r.policy;
    say('mode-result', p.published
      ? 'Mode set; access policy #' + p.serial + ' (' + p.mode + ', valid until ' + p.notAfter + ') signed and published.'
      : 'Mode set, but the access policy was NOT published: ' + p.code + ' ' + p.message + ' — ' + p.action, p.published);
    $('mode-effect').hidden = true;
    modes();
  } catch (e) {
    say('mode-result', e.message);
  }
});

// ---- terminals ----
async function terminals() {
  const q = encodeURIComponent($('terminal-query').value.trim());
  const r = await api('GET', '/admin/v1/console/terminals?q=' + q);
  fill('terminals', r.terminals, (t) => {
    const act = el('td');
    if (state.may.disconnect) {
      const b = el('button', 'Disconnect', 'disconnect');
      b.addEventListener('click', () => disconnect(t));
      act.appendChild(b);
    }
    const row = tr([t.account, t.node, t.listener, t.suite, t.source, t.since, act]);
    row.dataset.account = t.account;
    row.dataset.node = t.node;
    return row;
  });
}
$('terminal-search').addEventListener('submit', (ev) => { ev.preventDefault(); terminals(); });

async function disconnect(t) {
  try {
    const r = await api('DELETE', '/admin/v1/terminals/' + encodeURIComponent(t.id));
    say('terminal-result', r.disconnected ? t.account + ' on ' + t.node + ' disconnected' : t.account + ' was no longer connected', r.disconnected);
    terminals();
  } catch (e) {
    say('terminal-result', e.message);
  }
}

async function lock(locked) {
  const serial = $('lock-serial').value.trim();
  try {
    await api('POST', '/admin/v1/certificates/' + encodeURIComponent(serial) + (locked ? '/lock' : '/unlock'),
      { reason: $('lock-reason').value.trim() });
    say('lock-result', 'certificate ' + serial + (locked ? ' locked' : ' unlocked'), true);
  } catch (e) {
    say('lock-result', e.message);
  }
}
$('lock-button').addEventListener('click', () => lock(true));
$('unlock-button').addEventListener('click', () => lock(false));

// ---- certificates and audit ----
async function certificates() {
  const r = await api('GET', '/admin/v1/console/certificates/expiring');
  fill('expiring', r.certificates, (c) => tr([c.serial, c.kind, c.account, c.device, c.notAfter, c.daysLeft]));
}

async function audit() {
  const r = await api('GET', '/admin/v1/console/audit');
  const v = r.verification;
  say('audit-verify', (v.intact ? 'verify: intact — ' : 'verify: BROKEN — ') + v.detail, v.intact);
  fill('audit', r.records, (a) => tr([a.seq, a.at, a.actor, a.action, a.account, a.detail]));
}

// ---- charts: our own small canvas code ----
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

function plot(canvasId, series) {
  const c = $(canvasId);
  const g = c.getContext('2d');
  const w = c.width, h = c.height, pad = 28;
  g.clearRect(0, 0, w, h);
  const all = series.flatMap((s) => s.values);
  const max = Math.max(1, ...all);
  g.strokeStyle = '#d8dde6';
  g.fillStyle = '#667';
  g.font = '10px sans-serif';
  for (let i = 0; i <= 4; i++) {
    const y = h - pad + (-(h - 2 * pad) * i) / 4;
    g.beginPath(); g.moveTo(pad, y); g.lineTo(w - 4, y); g.stroke();
    g.fillText((max * i / 4).toFixed(max < 4 ? 1 : 0), 2, y + 3);
  }
  series.forEach((s, k) => {
    g.strokeStyle = COLORS[k % COLORS.length];
    g.lineWidth = 1.5;
    g.beginPath();
    s.values.forEach((v, i) => {
      const x = pad + ((w - pad - 4) * i) / Math.max(1, s.values.length - 1);
      const y = h - pad - ((h - 2 * pad) * v) / max;
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  });
}

async function charts() {
  const r = await api('GET', '/admin/v1/console/meters');
  const pts = r.points;
  plot('chart-logins', [{ values: pts.map((p) => p.loginsPerSec) }]);
  const codes = [...new Set(pts.flatMap((p) => Object.keys(p.failuresPerSec)))].sort();
  plot('chart-failures', codes.map((code) => ({ values: pts.map((p) => p.failuresPerSec[code] || 0) })));
  $('failure-legend').replaceChildren(...codes.map((code, k) => {
    const s = el('span', '■ ' + code);
    s.style.color = COLORS[k % COLORS.length];
    return s;
  }));
  plot('chart-cosigns', [{ values: pts.map((p) => p.cosignsPerSec) }]);
  plot('chart-p99', [{ values: pts.map((p) => p.cosignP99Ms) }]);
}

if (state.token) login(state.token);
