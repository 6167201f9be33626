// The configuration page Teams shows when the RM pins the tab: pick a release of this channel or "latest".
(function () {
  'use strict';

  const tab = window.ReleaseTab;
  const stateText = document.getElementById('state');
  const choices = document.getElementById('choices');
  const output = document.getElementById('content-url');
  let releases = [];

  function selected() {
    const checked = choices.querySelector('input[name="release"]:checked');
    if (!checked) {
      return null;
    }

    const base = new URL('index.html', window.location.href);
    if (checked.value === 'latest') {
      base.searchParams.set('latest', '1');
      return { contentUrl: base.href, websiteUrl: base.href, entityId: 'latest', suggestedDisplayName: 'Release' };
    }

    const release = releases.find((r) => r.id === checked.value);
    base.searchParams.set('releaseId', checked.value);
    return {
      contentUrl: base.href,
      websiteUrl: base.href,
      entityId: 'release-' + checked.value,
      suggestedDisplayName: release ? 'Release ' + release.version : 'Release',
    };
  }

  function addChoice(release) {
    const wrapper = document.createElement('div');
    wrapper.className = 'choice';
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'release';
    input.id = 'choice-' + release.id;
    input.value = release.id;
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = 'Release ' + release.version;
    wrapper.append(input, label);
    choices.append(wrapper);
  }

  async function start() {
    const session = await tab.connect();
    tab.applyTheme(session.theme);
    session.onThemeChange((theme) => tab.applyTheme(theme));

    function changed() {
      const config = selected();
      output.textContent = config ? config.contentUrl : '';
      if (session.inTeams) {
        session.teams.pages.config.setValidityState(Boolean(config));
      }
    }

    if (session.inTeams) {
      session.teams.pages.config.registerOnSaveHandler((saveEvent) => {
        const config = selected();
        if (!config) {
          saveEvent.notifyFailure('Choose a release first.');
          return;
        }

        session.teams.pages.config.setConfig(config).then(
          () => saveEvent.notifySuccess(),
          (error) => saveEvent.notifyFailure(String(error && error.message || error)));
      });
    }

    choices.addEventListener('change', changed);
    changed();

    try {
      releases = await tab.api(session, 'releases', {});
      releases.forEach(addChoice);
      stateText.textContent = releases.length === 0
        ? 'No releases in this channel yet. Pin "latest" and the tab shows the first one you create.'
        : releases.length + (releases.length === 1 ? ' release' : ' releases') + ' in this channel.';
    } catch (error) {
      stateText.textContent = error.status === 401
        ? 'Could not sign you in. Reopen the tab, or ask your admin to consent to the app.'
        : 'Could not load the releases of this channel (' + error.message + '). Close this dialog and add the tab again in a minute.';
    }

    document.body.dataset.ready = 'true';
  }

  start();
})();
