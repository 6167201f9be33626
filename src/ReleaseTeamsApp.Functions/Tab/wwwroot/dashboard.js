// The release dashboard: fetches the read model as JSON and renders it; refreshes in place every 30 s.
(function () {
  'use strict';

  const tab = window.ReleaseTab;
  const params = tab.params;
  const refreshSeconds = Math.max(1, Number(params.get('refreshSeconds')) || 30);
  const statusIcons = { open: '○', done: '✓', notApplicable: '–', blocked: '✕' };
  const $ = (id) => document.getElementById(id);
  let session = null;
  let model = null;
  let chart = null;
  let renders = 0;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }

      if (name === 'class') {
        node.className = value;
      } else if (name.includes('-')) {
        node.setAttribute(name, value);
      } else {
        node[name] = value;
      }
    }

    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }

    return node;
  }

  function formatter(options) {
    const zone = model && model.release.timeZone;
    try {
      return new Intl.DateTimeFormat('en-GB', Object.assign({ timeZone: zone }, options));
    } catch (error) {
      return new Intl.DateTimeFormat('en-GB', options);
    }
  }

  function when(iso) {
    return iso ? formatter({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)) : '';
  }

  function day(iso) {
    return formatter({ day: 'numeric', month: 'short' }).format(new Date(iso));
  }

  function safeLink(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function cssVar(name) {
    return getComputedStyle(document.body).getPropertyValue(name).trim();
  }

  function renderHeader(release, goNoGo) {
    $('title').textContent = 'Release ' + release.version;
    document.title = 'Release ' + release.version + ' · dashboard';
    const facts = [
      ['Release date', release.releaseDate],
      ['Window', release.window],
      ['Time zone', release.timeZone],
      ['Status', release.statusLabel],
    ];
    if (goNoGo) {
      facts.push(['Go/no-go', goNoGo.state]);
    }

    $('facts').replaceChildren(...facts.flatMap(([name, value]) => [
      el('div', { class: 'fact', 'data-fact': name }, el('dt', null, name), el('dd', null, value)),
    ]));
  }

  function renderPhases(phases) {
    $('phases').replaceChildren(...phases.map((phase) => {
      const id = 'phase-' + phase.id;
      const count = phase.scheduled ? phase.done + ' / ' + phase.total : 'not triggered';
      const extra = [phase.blocked ? phase.blocked + ' blocked' : null, phase.overdue ? phase.overdue + ' overdue' : null].filter(Boolean).join(', ');
      return el('li', { class: 'phase', 'data-phase-id': phase.id },
        el('div', { class: 'phase-label' },
          el('span', { id: id, class: 'phase-title' }, phase.title),
          el('span', { class: 'phase-count' }, count)),
        el('progress', { max: Math.max(phase.total, 1), value: phase.done, 'data-done': phase.done }, count),
        extra ? el('span', { class: 'phase-alerts' }, extra) : null);
    }));
    for (const bar of $('phases').querySelectorAll('progress')) {
      bar.setAttribute('aria-labelledby', 'phase-' + bar.parentElement.dataset.phaseId);
    }
  }

  function renderBurndown(burndown) {
    const actual = burndown.actual.map((p) => ({ x: Date.parse(p.at), y: p.open }));
    const plan = burndown.plan.map((p) => ({ x: Date.parse(p.at), y: p.open }));
    const last = burndown.actual[burndown.actual.length - 1];
    $('burndown-summary').textContent = (last ? last.open : 0) + ' of ' + burndown.totalRequired + ' required items still open.';
    $('burndown-chart').setAttribute('aria-label', 'Burndown: ' + $('burndown-summary').textContent + ' The plan line closes each item by its due time.');
    if (!window.Chart) {
      return;
    }

    const colors = { text: cssVar('--text'), grid: cssVar('--border'), actual: cssVar('--accent'), plan: cssVar('--muted') };
    if (!chart) {
      chart = new window.Chart($('burndown-chart'), {
        type: 'line',
        data: { datasets: [
          { label: 'Open required items', data: actual, stepped: true, borderWidth: 2, pointRadius: 2 },
          { label: 'Plan (by due times)', data: plan, stepped: true, borderWidth: 2, borderDash: [6, 4], pointRadius: 0 },
        ] },
        options: {
          animation: false,
          maintainAspectRatio: false,
          parsing: false,
          scales: {
            x: { type: 'linear', ticks: { maxTicksLimit: 6, callback: (value) => day(value) } },
            y: { beginAtZero: true, ticks: { precision: 0 } },
          },
          plugins: { tooltip: { callbacks: { title: (items) => when(items[0].parsed.x) } } },
        },
      });
    } else {
      chart.data.datasets[0].data = actual;
      chart.data.datasets[1].data = plan;
    }

    chart.data.datasets[0].borderColor = colors.actual;
    chart.data.datasets[0].backgroundColor = colors.actual;
    chart.data.datasets[1].borderColor = colors.plan;
    chart.data.datasets[1].backgroundColor = colors.plan;
    for (const axis of ['x', 'y']) {
      chart.options.scales[axis].ticks.color = colors.text;
      chart.options.scales[axis].grid = { color: colors.grid };
    }

    chart.options.plugins.legend = { labels: { color: colors.text } };
    chart.update();
  }

  function renderRoleFilter(items) {
    const select = $('filter-role');
    const current = select.value;
    const roles = new Map(items.map((i) => [i.role, i.roleName]));
    const options = [el('option', { value: '' }, 'All roles')];
    for (const [role, name] of roles) {
      options.push(el('option', { value: role }, name));
    }

    select.replaceChildren(...options);
    select.value = roles.has(current) ? current : '';
  }

  function matches(item) {
    const role = $('filter-role').value;
    const status = $('filter-status').value;
    if (role && item.role !== role) {
      return false;
    }

    if (status === 'overdue') {
      return item.overdue;
    }

    return !status || item.status === status;
  }

  function renderItems() {
    const items = model.items;
    const rows = items.filter(matches).map((item) => {
      const link = item.evidenceUrl ? safeLink(item.evidenceUrl) : null;
      return el('tr', { class: 'item status-' + item.status + (item.overdue ? ' is-overdue' : ''), 'data-item-id': item.id, 'data-role': item.role, 'data-status': item.status },
        el('td', { 'data-label': 'Item' },
          el('span', { class: 'item-text' }, item.text),
          el('span', { class: 'item-meta' }, item.sectionTitle + (item.required ? '' : ' · optional'))),
        el('td', { 'data-label': 'Owner' },
          el('span', { class: 'role' }, item.roleName),
          el('span', { class: 'people' }, item.people.length ? item.people.join(', ') : 'Unassigned')),
        el('td', { 'data-label': 'Due' }, item.dueLocal || 'When triggered'),
        el('td', { 'data-label': 'Status' },
          el('span', { class: 'status status-' + item.status },
            el('span', { class: 'icon', 'aria-hidden': 'true' }, statusIcons[item.status] || '•'), ' ', item.statusLabel),
          item.overdue ? el('span', { class: 'overdue-flag' }, 'Overdue') : null),
        el('td', { 'data-label': 'Note' },
          item.note ? el('span', { class: 'note' }, item.note) : null,
          link ? el('a', { href: link, target: '_blank', rel: 'noopener noreferrer', class: 'evidence' }, 'Evidence') : null));
    });
    $('item-rows').replaceChildren(...rows);
    $('item-count').textContent = 'Showing ' + rows.length + ' of ' + items.length + ' items.';
  }

  function renderList(container, pairs) {
    container.replaceChildren(el('dl', { class: 'pairs' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) =>
      el('div', { class: 'pair' }, el('dt', null, k), el('dd', null, v)))));
  }

  function renderOptional(id, data, render) {
    const section = $(id);
    section.hidden = !data;
    if (data) {
      render(section.querySelector('.section-body'), data);
    }
  }

  // A card's deep link names the release, or one of its closing reports ("<release id>/report.md").
  function linkTarget(subPageId) {
    const match = /^(.+)\/report\.(md|csv)$/.exec(subPageId || '');
    return match ? { releaseId: match[1], report: match[2] } : { releaseId: subPageId || null, report: null };
  }

  const reportFormats = { md: ['Markdown report', 'text/markdown'], csv: ['CSV export of items and audit', 'text/csv'] };

  async function downloadReport(format, button) {
    const status = $('reports').querySelector('.report-status');
    try {
      const blob = await tab.file(session, '../releases/' + encodeURIComponent(model.release.id) + '/report.' + format, reportFormats[format][1]);
      const link = el('a', { href: URL.createObjectURL(blob), download: 'release-' + model.release.version + '-report.' + format });
      document.body.append(link);
      link.click();
      link.remove();
      status.textContent = 'Downloaded ' + link.download + '.';
    } catch (error) {
      status.textContent = error.status === 404
        ? 'This report is not stored yet: it is written when the release closes. Try again after the close.'
        : 'Could not download the report. Press the button again, or reopen the tab if it keeps failing.';
    }

    button.focus();
  }

  function renderReports(body, release) {
    const linked = linkTarget(session && session.subPageId);
    body.replaceChildren(
      el('p', null, 'Stored when the release closed' + (release.closedAt ? ' (' + when(release.closedAt) + ')' : '') + ':'),
      el('div', { class: 'report-buttons' }, Object.entries(reportFormats).map(([format, [label]]) => {
        const button = el('button', { type: 'button', 'data-report': format, class: linked.releaseId === release.id && linked.report === format ? 'linked' : null }, 'Download ' + label);
        button.addEventListener('click', () => downloadReport(format, button));
        return button;
      })),
      el('p', { class: 'report-status muted', role: 'status', 'aria-live': 'polite' }));
  }

  function renderGoNoGo(body, goNoGo) {
    renderList(body, [['Decision', goNoGo.state], ['Decided', when(goNoGo.decidedAt)], ['By', goNoGo.decidedBy], ['Note', goNoGo.note]]);
    body.append(el('ul', { class: 'checks' }, goNoGo.checks.map((c) =>
      el('li', { class: c.passed ? 'check-passed' : 'check-failed' },
        el('span', { class: 'icon', 'aria-hidden': 'true' }, c.passed ? '✓' : '✕'), ' ', c.label, c.passed ? ' (ready)' : ' (not ready)', c.detail ? ': ' + c.detail : ''))));
  }

  function renderDeployment(body, deployment) {
    renderList(body, [
      ['Started', when(deployment.startedAt)],
      ['Finished', when(deployment.finishedAt)],
      ['Duration', deployment.durationMinutes !== null && deployment.durationMinutes !== undefined ? Math.round(deployment.durationMinutes) + ' min' : null],
      ['Issues', String(deployment.issues)],
      ['Rolled back', when(deployment.rolledBackAt)],
      ['Rollback reason', deployment.rollbackReason],
    ]);
  }

  function renderMetrics(body, metrics) {
    renderList(body, metrics.values.map((m) => [m.label, m.value + (m.detail ? ' (' + m.detail + ')' : '')]));
  }

  function renderOutbox(body, outbox) {
    renderList(body, [['Pending', String(outbox.pending)], ['Sent', String(outbox.sent)], ['Dead-lettered', String(outbox.deadLettered)]]);
    if (outbox.entries.length) {
      body.append(el('table', { class: 'outbox' },
        el('caption', { class: 'visually-hidden' }, 'Outbox entries'),
        el('thead', null, el('tr', null, ['Kind', 'State', 'Attempts', 'Updated', 'Last error'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', null, outbox.entries.map((e) => el('tr', { class: 'outbox-' + e.state },
          el('td', null, e.kind), el('td', null, e.state), el('td', null, String(e.attempts)), el('td', null, when(e.updatedAt)), el('td', null, e.lastError || ''))))));
    }
  }

  function renderTimeline(entries) {
    $('timeline-list').replaceChildren(...entries.map((entry) => el('li', { class: 'event', 'data-action': entry.action },
      el('time', { dateTime: entry.at }, when(entry.at)), ' ',
      el('strong', null, entry.actor), ' ', entry.summary,
      entry.itemText ? ' “' + entry.itemText + '”' : '',
      entry.before && entry.after && entry.before !== entry.after ? ' (' + entry.before + ' → ' + entry.after + ')' : '',
      entry.note ? el('span', { class: 'note' }, ' — ' + entry.note) : null)));
    if (entries.length === 0) {
      $('timeline-list').append(el('li', null, 'Nothing recorded yet.'));
    }
  }

  function render() {
    renderHeader(model.release, model.goNoGo);
    renderPhases(model.phases);
    renderBurndown(model.burndown);
    renderRoleFilter(model.items);
    renderItems();
    renderOptional('reports', model.release.closedAt ? model.release : null, renderReports);
    renderOptional('gonogo', model.goNoGo, renderGoNoGo);
    renderOptional('deployment', model.deployment, renderDeployment);
    renderOptional('metrics', model.metrics, renderMetrics);
    renderOptional('outbox', model.outbox, renderOutbox);
    renderTimeline(model.timeline);
    $('dashboard').hidden = false;
    $('updated').textContent = 'Updated ' + formatter({ hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(model.generatedAt)) + ' · refreshes every ' + refreshSeconds + ' s';
    renders += 1;
    document.body.dataset.renders = String(renders);
  }

  async function refresh() {
    // The release a card's deep link opened the tab on wins over the one the tab was pinned to.
    const linked = linkTarget(session && session.subPageId).releaseId;
    const releaseId = linked || params.get('releaseId');
    const path = releaseId && (linked || params.get('latest') !== '1') ? 'releases/' + encodeURIComponent(releaseId) : 'releases/latest';
    try {
      model = await tab.api(session, path, {});
      $('state').textContent = '';
      $('state').hidden = true;
      render();
    } catch (error) {
      $('state').hidden = false;
      $('state').textContent = error.status === 404
        ? 'This release is not available here: open the tab in the release\'s own channel, or pick another release in the tab\'s settings.'
        : error.status === 401
          ? 'Could not sign you in. Reopen the tab to try again.'
          : 'Could not refresh the dashboard; the last data stays on screen. Retrying in ' + refreshSeconds + ' s.';
    }
  }

  function themeChanged(theme) {
    document.body.dataset.theme = tab.applyTheme(theme);
    if (model) {
      renderBurndown(model.burndown);
    }
  }

  async function start() {
    session = await tab.connect();
    themeChanged(session.theme);
    session.onThemeChange(themeChanged);
    document.body.dataset.mode = session.inTeams ? 'teams' : 'development';
    $('filter-role').addEventListener('change', () => model && renderItems());
    $('filter-status').addEventListener('change', () => model && renderItems());
    $('refresh').addEventListener('click', refresh);
    await refresh();
    setInterval(refresh, refreshSeconds * 1000);
    if (session.inTeams && session.teams.app.notifySuccess) {
      session.teams.app.notifySuccess();
    }
  }

  window.ReleaseDashboard = { refresh: refresh, setTheme: themeChanged };
  start();
})();
