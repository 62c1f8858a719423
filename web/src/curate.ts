import './styles.css';
import type { SessionBody } from '../../adapters/web/api-schemas.js';
import { ApiFailure, openSession, postJson, useSession } from './api.js';
import { h, replace } from './dom.js';
import { showEntries } from './curate-entries.js';
import { refreshOpenCount, showHandOffs } from './curate-hand-offs.js';
import { showQueue } from './curate-queue.js';
import { showCoverage, showFeedback, showGaps } from './curate-reports.js';

// The curator console: sign-in first (token or the organisation's identity provider), then one view
// per tab, chosen by the URL's #fragment so that the browser's back button works.

const view = document.querySelector<HTMLElement>('#view')!;
const tabs = document.querySelector<HTMLElement>('#tabs')!;
const account = document.querySelector<HTMLElement>('#account')!;

const views: Record<string, { title: string; show: (view: HTMLElement) => Promise<void> }> = {
  queue: { title: 'Review queue', show: (target) => showQueue(target) },
  'hand-offs': { title: 'Hand-offs', show: (target) => showHandOffs(target) },
  feedback: { title: 'Feedback', show: (target) => showFeedback(target) },
  gaps: { title: 'Gap report', show: (target) => showGaps(target) },
  coverage: { title: 'Coverage', show: showCoverage },
  entries: { title: 'Entries', show: (target) => showEntries(target) },
};

function showError(error: unknown): void {
  replace(
    view,
    h('div', { class: 'problems', role: 'alert' }, error instanceof Error ? error.message : String(error)),
  );
}

function signInForm(session: SessionBody): void {
  tabs.hidden = true;
  replace(account);
  if (session.role === 'member') {
    replace(
      view,
      h('h2', {}, 'Not a curator'),
      h(
        'p',
        {},
        `You are signed in as ${session.userName ?? 'a user'}, who may use the chat but not the console.`,
      ),
      h('p', {}, h('a', { href: '/' }, 'Go to the chat')),
    );
    return;
  }
  const token = h('input', {
    id: 'curator-token',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const message = h('p', { role: 'alert', class: 'status' });
  replace(
    view,
    h('h2', {}, 'Sign in to the curator console'),
    session.signIn.oidc &&
      h(
        'p',
        {},
        h(
          'a',
          { class: 'button', href: '/auth/oidc/start', id: 'oidc-sign-in' },
          'Sign in with your organisation',
        ),
      ),
    session.signIn.token &&
      h(
        'form',
        {
          class: 'draft-form',
          id: 'token-form',
          onsubmit: (event: Event) => {
            event.preventDefault();
            postJson<SessionBody>('/api/session/token', { token: token.value })
              .then((signedIn) => start(useSession(signedIn)))
              .catch(
                (error: unknown) =>
                  (message.textContent = error instanceof ApiFailure ? error.message : String(error)),
              );
          },
        },
        h('div', { class: 'field' }, h('label', { for: 'curator-token' }, 'Curator token'), token),
        h('button', { type: 'submit' }, 'Sign in'),
        message,
      ),
    !session.signIn.oidc &&
      !session.signIn.token &&
      h(
        'p',
        {},
        'No sign-in is configured: set NAVIGATOR_CURATOR_TOKEN or the OIDC_* variables (see the README).',
      ),
  );
}

function route(): void {
  const name = location.hash.slice(1) in views ? location.hash.slice(1) : 'queue';
  for (const link of tabs.querySelectorAll('a'))
    if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  document.title = `${views[name]!.title} · PSI Navigator curator console`;
  views[name]!.show(view).catch(showError);
}

function start(session: SessionBody): void {
  if (session.role !== 'curator') return signInForm(session);
  tabs.hidden = false;
  replace(
    tabs,
    h(
      'ul',
      { class: 'tabs' },
      ...Object.entries(views).map(([name, item]) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#${name}` },
            item.title,
            name === 'hand-offs' && h('span', { id: 'hand-off-count' }),
          ),
        ),
      ),
    ),
  );
  refreshOpenCount().catch(showError);
  replace(
    account,
    h('p', { class: 'signed-in' }, `Signed in as ${session.userName ?? 'curator'} `),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () =>
          void postJson<SessionBody>('/api/session/sign-out').then((visitor) => start(useSession(visitor))),
      },
      'Sign out',
    ),
  );
  route();
}

window.addEventListener('hashchange', route);
openSession().then(start).catch(showError);
