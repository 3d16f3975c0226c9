// aether-scope page: polls /api/state, keeps a force-laid-out SVG graph of
// the V-Nodes (colour = state) and their IPC (width and label = messages
// per second), resource bars, and an event timeline; clicking a V-Node
// shows its recent IPC from /api/node. Names come from the guest, so they
// only ever reach the page as textContent or attribute values, never HTML.
'use strict';
(function () {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const W = 900, H = 560, R = 30;
  const POLL_MS = 500;
  const TIMELINE_NS = 30e9;
  const EVENT_COLOURS = {
    proc_fault: '#e5484d', page_fault: '#e5484d', proc_exit: '#e0a526', proc_spawn: '#3fb36b',
    proc_restart: '#3fb36b', state: '#7b6cf6', lost: '#e0a526', quota_deny: '#e0a526', hello: '#6fa8dc',
  };

  const nodes = new Map();      // name -> {x, y, vx, vy, g, circle, ring, sub, data}
  const edges = new Map();      // "src\u0000dst" -> {g, path, label, title, data}
  let alpha = 1;                // layout energy: reheated when the graph changes
  let settle = false;           // run the layout to rest at once (the graph changed)
  let selected = null;
  let lastEventsKey = '';

  const $ = (id) => document.getElementById(id);

  function svg(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function html(tag, cls, parent, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  const safeId = (s) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  const secs = (ns) => (ns / 1e9).toFixed(3);
  const rateText = (r) => (r >= 100 ? r.toFixed(0) : r.toFixed(1)) + '/s';

  function pagesText(p) {
    const kib = p * 4;
    return kib >= 1024 ? (kib / 1024).toFixed(1) + ' MiB' : kib + ' KiB';
  }

  // ---- graph -------------------------------------------------------------

  function addNode(d) {
    // New V-Nodes start on a golden-angle spiral around the centre; the
    // layout then pulls them where their edges want them.
    const k = nodes.size, a = k * 2.39996, rad = 120 + 30 * Math.sqrt(k);
    const g = svg('g', { class: 'node', id: 'node-' + safeId(d.name), 'data-name': d.name }, $('nodes'));
    const n = {
      x: W / 2 + rad * Math.cos(a), y: H / 2 + rad * Math.sin(a), vx: 0, vy: 0, g,
      ring: svg('circle', { class: 'cpu-ring', r: R + 5 }, g),
      circle: svg('circle', { r: R }, g),
      title: svg('title', {}, g),
    };
    svg('text', { class: 'label', y: 2 }, g).textContent = d.name;
    n.sub = svg('text', { class: 'sub', y: 15 }, g);
    g.addEventListener('click', () => select(d.name));
    nodes.set(d.name, n);
    alpha = 1;
    settle = true;
    return n;
  }

  function updateNodes(list) {
    const seen = new Set();
    for (const d of list) {
      seen.add(d.name);
      const n = nodes.get(d.name) || addNode(d);
      n.data = d;
      n.g.setAttribute('data-state', d.state);
      n.g.setAttribute('data-pid', d.pid);
      n.g.setAttribute('data-cpu', d.cpu_pct);
      n.g.classList.toggle('selected', d.name === selected);
      n.sub.textContent = d.pid ? 'pid ' + d.pid : '';
      const circ = 2 * Math.PI * (R + 5), cpu = Math.min(d.cpu_pct, 100) / 100;
      n.ring.setAttribute('stroke-dasharray', `${(circ * cpu).toFixed(1)} ${circ.toFixed(1)}`);
      n.title.textContent = `${d.name}: ${d.state}, CPU ${d.cpu_pct.toFixed(1)}%, ` +
        `memory ${d.pages_used}/${d.pages_quota} pages, restarts ${d.restarts}`;
    }
    for (const [name, n] of nodes) {
      if (!seen.has(name)) { n.g.remove(); nodes.delete(name); alpha = 1; }
    }
  }

  function updateEdges(list) {
    const seen = new Set();
    for (const d of list) {
      const key = d.src + '\u0000' + d.dst;
      seen.add(key);
      let e = edges.get(key);
      if (!e) {
        const g = svg('g', { class: 'edge', 'data-src': d.src, 'data-dst': d.dst }, $('edges'));
        e = { g, path: svg('path', {}, g), label: svg('text', {}, g), title: svg('title', {}, g) };
        edges.set(key, e);
        alpha = Math.max(alpha, 0.6);
        settle = true;
      }
      e.data = d;
      e.g.setAttribute('data-rate', d.rate);
      e.g.setAttribute('data-count', d.count);
      e.g.setAttribute('data-active', d.rate > 0 ? 'true' : 'false');
      e.path.setAttribute('stroke-width', Math.min(14, 1.5 + Math.log2(1 + d.rate)).toFixed(2));
      e.label.textContent = d.rate > 0 ? rateText(d.rate) : d.count + ' msgs';
      e.title.textContent = `${d.src} → ${d.dst}: ${d.count} messages ` +
        `(${d.call} calls, ${d.send} sends, ${d.reply} replies), ${rateText(d.rate)}`;
    }
    for (const [key, e] of edges) {
      if (!seen.has(key)) { e.g.remove(); edges.delete(key); }
    }
  }

  // One step of a plain force layout: nodes repel, edges pull towards a
  // rest length, a weak pull keeps everything near the centre.
  function layoutStep() {
    const list = [...nodes.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i], b = list[j];
        let dx = b.x - a.x, dy = b.y - a.y, d2 = dx * dx + dy * dy;
        if (d2 < 1) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 1; }
        const f = Math.min(60000 / d2, 40) * alpha, d = Math.sqrt(d2);
        a.vx -= f * dx / d; a.vy -= f * dy / d; b.vx += f * dx / d; b.vy += f * dy / d;
      }
    }
    for (const e of edges.values()) {
      const a = nodes.get(e.data.src), b = nodes.get(e.data.dst);
      if (!a || !b || a === b) continue;
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.hypot(dx, dy), 1);
      const f = (d - 230) * 0.02 * alpha;
      a.vx += f * dx / d; a.vy += f * dy / d; b.vx -= f * dx / d; b.vy -= f * dy / d;
    }
    for (const n of list) {
      n.vx = (n.vx + (W / 2 - n.x) * 0.01 * alpha) * 0.6;
      n.vy = (n.vy + (H / 2 - n.y) * 0.01 * alpha) * 0.6;
      n.x = Math.min(W - R - 12, Math.max(R + 12, n.x + n.vx));
      n.y = Math.min(H - R - 12, Math.max(R + 12, n.y + n.vy));
    }
    alpha *= 0.99;
  }

  // Edges are quadratic curves bent to their right, so the two directions
  // between a pair of V-Nodes stay apart; ends stop at the circles' rims.
  function drawEdge(e) {
    const a = nodes.get(e.data.src), b = nodes.get(e.data.dst);
    if (!a || !b) return;
    let d;
    let lx, ly;
    if (a === b) {            // a V-Node messaging itself: a loop above it
      d = `M${a.x - 12},${a.y - R + 2} C${a.x - 50},${a.y - R - 60} ${a.x + 50},${a.y - R - 60} ${a.x + 12},${a.y - R + 2}`;
      lx = a.x; ly = a.y - R - 48;
    } else {
      const dx = b.x - a.x, dy = b.y - a.y, len = Math.max(Math.hypot(dx, dy), 1);
      const cx = (a.x + b.x) / 2 - dy / len * 36, cy = (a.y + b.y) / 2 + dx / len * 36;
      const u = (px, py, qx, qy, r) => {
        const l = Math.max(Math.hypot(qx - px, qy - py), 1);
        return [px + (qx - px) / l * r, py + (qy - py) / l * r];
      };
      const [sx, sy] = u(a.x, a.y, cx, cy, R + 2), [ex, ey] = u(b.x, b.y, cx, cy, R + 7);
      d = `M${sx.toFixed(1)},${sy.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`;
      lx = 0.25 * sx + 0.5 * cx + 0.25 * ex; ly = 0.25 * sy + 0.5 * cy + 0.25 * ey - 4;
    }
    e.path.setAttribute('d', d);
    e.label.setAttribute('x', lx.toFixed(1));
    e.label.setAttribute('y', ly.toFixed(1));
  }

  function frame() {
    // A new V-Node or edge: lay out to rest before drawing, so the graph
    // does not crawl into place (nor depend on the frame rate); afterwards
    // the animation only eases small changes.
    if (settle) {
      settle = false;
      alpha = 1;
      for (let i = 0; i < 300 && alpha > 0.01; i++) layoutStep();
    }
    if (alpha > 0.01) layoutStep();
    for (const n of nodes.values()) n.g.setAttribute('transform', `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`);
    for (const e of edges.values()) drawEdge(e);
    requestAnimationFrame(frame);
  }

  // ---- side panels -------------------------------------------------------

  function bar(parent, cls, pct, text) {
    const b = html('div', 'bar ' + cls, parent);
    html('div', 'fill', b).style.width = Math.max(0, Math.min(100, pct)).toFixed(1) + '%';
    html('span', '', b, text);
    return b;
  }

  function updateList(list) {
    const box = $('vnode-list');
    box.textContent = '';
    for (const d of [...list].sort((p, q) => p.name.localeCompare(q.name))) {
      const row = html('div', 'vnode-row', box);
      row.dataset.name = d.name;
      row.dataset.state = d.state;
      row.classList.toggle('selected', d.name === selected);
      row.addEventListener('click', () => select(d.name));
      const name = html('div', 'name', row, d.name);
      html('span', 'state', name, d.state + (d.pid ? ' · pid ' + d.pid : '')).dataset.state = d.state;
      const cpu = bar(row, 'cpu-bar', d.cpu_pct, `CPU ${d.cpu_pct.toFixed(1)}%`);
      cpu.dataset.cpu = d.cpu_pct;
      const memPct = d.pages_quota ? 100 * d.pages_used / d.pages_quota : 0;
      const mem = bar(row, 'mem-bar', memPct, d.pages_quota
        ? `mem ${pagesText(d.pages_used)} / ${pagesText(d.pages_quota)} (${memPct.toFixed(0)}%)`
        : 'mem: no snapshot yet');
      mem.dataset.used = d.pages_used;
      mem.dataset.quota = d.pages_quota;
      mem.classList.toggle('high', memPct >= 75 && memPct < 95);
      mem.classList.toggle('full', memPct >= 95);
    }
  }

  function updateTimeline(events, now) {
    const strip = $('timeline-strip');
    strip.textContent = '';
    const t0 = now - TIMELINE_NS;
    for (const ev of events) {
      if (ev.ts_ns < t0) continue;
      const x = ((ev.ts_ns - t0) / TIMELINE_NS * 1000).toFixed(1);
      const t = svg('line', { class: 'tick', x1: x, x2: x, y1: 4, y2: 36,
                              stroke: EVENT_COLOURS[ev.type] || '#8a94a6' }, strip);
      svg('title', {}, t).textContent = `${secs(ev.ts_ns)} s ${ev.text}`;
    }
    const key = events.length + ':' + (events[0] ? events[0].ts_ns + events[0].text : '');
    if (key === lastEventsKey) return;
    lastEventsKey = key;
    const ol = $('timeline');
    ol.textContent = '';
    for (const ev of events) {
      const li = html('li', 'event ev-' + ev.type, ol);
      li.dataset.type = ev.type;
      if (ev.node) li.dataset.node = ev.node;
      html('time', '', li, secs(ev.ts_ns) + ' s');
      html('span', 'type', li, ev.type.replace('_', ' '));
      html('span', 'text', li, ev.text);
    }
  }

  function updateStatus(ok, s) {
    const st = $('status');
    st.dataset.connected = ok && s.source.connected ? 'true' : 'false';
    if (!ok) { st.textContent = 'aether-scope is not answering'; return; }
    const src = s.source;
    st.textContent = (src.kind === 'connect'
      ? (src.connected ? 'connected to ' : 'waiting for ') + src.target
      : 'file ' + src.target + (src.follow ? ' (following)' : src.connected ? '' : ' (read)')) +
      ` · trace time ${secs(s.now_ns)} s`;
    const t = s.stream;
    $('stream-stats').textContent = `${t.frames} frames · ${t.records} records · ${t.snapshots} snapshots` +
      ` · ${t.bad_frames} bad frames · ${t.garbage} garbage bytes · ${t.lost} lost`;
    $('window').textContent = (s.window_ns / 1e9).toString();
  }

  // ---- node detail -------------------------------------------------------

  function select(name) {
    selected = name;
    $('node-detail').hidden = false;
    pollNode();
    for (const n of nodes.values()) n.g.classList.toggle('selected', n.data && n.data.name === name);
  }

  function renderDetail(d) {
    const box = $('node-detail');
    box.dataset.name = d.name;
    box.dataset.state = d.state;
    $('detail-title').textContent = d.name;
    const info = $('detail-info');
    info.textContent = '';
    const rows = [
      ['state', d.state], ['pid', d.pid + (d.pids.length > 1 ? ` (was ${d.pids.filter((p) => p !== d.pid).join(', ')})` : '')],
      ['restarts', d.restarts], ['CPU', `${d.cpu_pct.toFixed(1)}% (${secs(d.run_ns)} s on CPU seen)`],
      ['memory', `${d.pages_used} / ${d.pages_quota} pages`],
      ['messages', `${d.msgs_out} out, ${d.msgs_in} in (snapshot: ${d.ipc_sent} sent, ${d.ipc_received} received)`],
      ['faults', `${d.faults} fatal, ${d.page_faults} page faults, ${d.quota_denials} quota refusals`],
    ];
    for (const [k, v] of rows) { html('dt', '', info, k); html('dd', '', info, String(v)); }
    const body = $('node-ipc').tBodies[0];
    body.textContent = '';
    for (const m of d.ipc) {
      const tr = html('tr', 'ipc-row', body);
      tr.dataset.dir = m.dir;
      tr.dataset.peer = m.peer;
      html('td', '', tr, secs(m.ts_ns));
      html('td', 'dir-' + m.dir, tr, m.dir === 'out' ? '→' : '←');
      html('td', '', tr, m.type);
      html('td', '', tr, m.peer);
      html('td', '', tr, '0x' + m.label.toString(16));
      html('td', '', tr, m.words);
      html('td', '', tr, m.handles);
      html('td', '', tr, (m.waited_ns / 1000).toFixed(1));
    }
    if (!d.ipc.length) html('td', '', html('tr', '', body), 'no messages seen').colSpan = 8;
    const hbody = $('node-handles').tBodies[0];
    hbody.textContent = '';
    if (Array.isArray(d.handles)) {
      $('detail-handles-note').textContent =
        `${d.handles_total} handles as pid ${d.handles_pid}, listed at ${secs(d.handles_ts_ns)} s` +
        (d.handles.length < d.handles_total ? ` (the first ${d.handles.length} shown)` : '');
      for (const h of d.handles) {
        const tr = html('tr', 'handle-row', hbody);
        html('td', '', tr, '0x' + h.handle.toString(16));
        html('td', '', tr, h.revoked ? h.type + ' (revoked)' : h.type);
        html('td', 'rights', tr, h.rights);
        html('td', '', tr, '0x' + h.badge.toString(16));
      }
    } else {
      $('detail-handles-note').textContent = 'No handle list received yet (scope sends one a second for each running V-Node that changed, every 5 s otherwise).';
    }
  }

  async function pollNode() {
    if (!selected) return;
    try {
      const r = await fetch('/api/node?name=' + encodeURIComponent(selected), { cache: 'no-store' });
      if (r.ok) renderDetail(await r.json());
    } catch (e) { /* the next poll tries again */ }
  }

  $('detail-close').addEventListener('click', () => {
    selected = null;
    $('node-detail').hidden = true;
  });

  async function poll() {
    try {
      const r = await fetch('/api/state', { cache: 'no-store' });
      const s = await r.json();
      updateNodes(s.nodes);
      updateEdges(s.edges);
      updateList(s.nodes);
      updateTimeline(s.events, s.now_ns);
      updateStatus(true, s);
      await pollNode();
    } catch (e) {
      updateStatus(false);
    }
    setTimeout(poll, POLL_MS);
  }

  requestAnimationFrame(frame);
  poll();
})();
