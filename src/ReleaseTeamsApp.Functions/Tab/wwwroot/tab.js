// Shared by the tab's pages: Teams connection (or the development fallback), the API client and themes.
(function () {
  'use strict';

  const params = new URLSearchParams(window.location.search);
  const teamsTimeoutMs = 3000;
  const themes = ['default', 'dark', 'contrast'];

  function withTimeout(promise, ms, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(what + ' timed out')), ms);
      Promise.resolve(promise).then(
        (value) => { clearTimeout(timer); resolve(value); },
        (error) => { clearTimeout(timer); reject(error); });
    });
  }

  function developmentSession(reason) {
    return {
      inTeams: false,
      reason: reason,
      tenantId: params.get('tenantId'),
      teamId: params.get('teamId'),
      channelId: params.get('channelId'),
      // What Teams hands over from a card's deep link, given in the query outside Teams.
      subPageId: params.get('subEntityId'),
      theme: params.get('theme') || 'default',
      getToken: () => Promise.resolve(null),
      onThemeChange: () => {},
    };
  }

  // Inside Teams the page is framed and teams-js answers; in a plain browser it is not, or initialization times out.
  async function connect() {
    const teams = window.microsoftTeams;
    const framed = window.parent !== window || Boolean(window.opener);
    if (!teams || !framed) {
      return developmentSession(teams ? 'not inside Teams' : 'teams-js not loaded');
    }

    try {
      await withTimeout(teams.app.initialize(), teamsTimeoutMs, 'Teams initialization');
      const context = await withTimeout(teams.app.getContext(), teamsTimeoutMs, 'Teams context');
      return {
        inTeams: true,
        teams: teams,
        tenantId: context.user && context.user.tenant ? context.user.tenant.id : params.get('tenantId'),
        teamId: context.team ? context.team.internalId : params.get('teamId'),
        channelId: context.channel ? context.channel.id : params.get('channelId'),
        // A deep link from a card ("Open dashboard") names the release as the tab's sub-entity.
        subPageId: context.page && context.page.subPageId ? context.page.subPageId : null,
        theme: params.get('theme') || (context.app && context.app.theme) || 'default',
        getToken: () => teams.authentication.getAuthToken(),
        onThemeChange: (handler) => teams.app.registerOnThemeChangeHandler(handler),
      };
    } catch (error) {
      console.warn('Teams is not available, using development mode:', error && error.message);
      return developmentSession('Teams initialization failed');
    }
  }

  async function request(session, path, query, accept) {
    const url = new URL(path, window.location.href);
    const all = Object.assign({ tenantId: session.tenantId, teamId: session.teamId, channelId: session.channelId }, query || {});
    for (const [name, value] of Object.entries(all)) {
      if (value) {
        url.searchParams.set(name, value);
      }
    }

    const headers = { Accept: accept };
    let token = null;
    try {
      token = await session.getToken();
    } catch (error) {
      console.warn('No Teams SSO token:', error && error.message);
    }

    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }

    const response = await fetch(url, { headers: headers, cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) {
      const error = new Error(response.status === 404 ? 'not found' : response.status === 401 ? 'not signed in' : 'request failed');
      error.status = response.status;
      throw error;
    }

    return response;
  }

  async function api(session, path, query) {
    return (await request(session, path, query, 'application/json')).json();
  }

  // A file the API serves behind the same sign-in (the closing reports), as a Blob the page can save.
  async function file(session, path, accept) {
    return (await request(session, path, {}, accept)).blob();
  }

  function applyTheme(theme) {
    const name = themes.includes(theme) ? theme : 'default';
    for (const other of themes) {
      document.body.classList.toggle('theme-' + other, other === name);
    }

    document.documentElement.dataset.theme = name;
    return name;
  }

  window.ReleaseTab = { params: params, connect: connect, api: api, file: file, applyTheme: applyTheme };
})();
