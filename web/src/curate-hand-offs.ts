import type { CuratorHandOff, HandOffList } from '../../adapters/web/api-schemas.js';
import { ApiFailure, getJson, postJson } from './api.js';
import { renderAnswerText } from './answer-text.js';
import { h, replace } from './dom.js';

// Hand-offs: questions web users handed to the curators. The curator reads the question, the answer
// the Navigator gave and the asker's note, and replies once; the reply shows up in the asker's chat.

type Filter = 'open' | 'answered' | 'all';

const filters: [Filter, string][] = [
  ['open', 'Open'],
  ['answered', 'Answered'],
  ['all', 'All'],
];

/** Writes the open count into the nav tab (the element curate.ts gives it). */
export function showOpenCount(open: number): void {
  const count = document.querySelector('#hand-off-count');
  if (count) count.textContent = open > 0 ? ` (${open} open)` : '';
}

export async function refreshOpenCount(): Promise<void> {
  showOpenCount((await getJson<HandOffList>('/api/curate/hand-offs?status=open')).open);
}

const when = (iso: string) => new Date(iso).toLocaleString();

function replyForm(view: HTMLElement, handOff: CuratorHandOff, filter: Filter): Node {
  const replyId = `reply-${handOff.handOffId}`;
  const reply = h('textarea', { id: replyId, rows: '4', maxlength: '4000', required: true });
  const message = h('p', { class: 'status', role: 'status' });
  const send = h('button', { type: 'submit' }, 'Send reply');
  return h(
    'form',
    {
      class: 'comment-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        send.disabled = true;
        postJson(`/api/curate/hand-offs/${encodeURIComponent(handOff.handOffId)}/reply`, {
          reply: reply.value,
        })
          .then(() => showHandOffs(view, filter, 'Reply sent: the asker sees it in their chat.'))
          .catch((error: unknown) => {
            if (error instanceof ApiFailure && error.status === 409)
              return showHandOffs(view, filter, 'Another curator answered first; the list is up to date.');
            send.disabled = false;
            message.textContent = error instanceof Error ? error.message : String(error);
          });
      },
    },
    h('label', { for: replyId }, 'Your reply to the asker'),
    reply,
    send,
    message,
  );
}

function handOffCard(view: HTMLElement, handOff: CuratorHandOff, filter: Filter): Node {
  return h(
    'li',
    { class: 'card hand-off-card' },
    h('h3', {}, handOff.question),
    h(
      'p',
      { class: 'card-meta' },
      [
        handOff.status === 'open' ? 'Open' : 'Answered',
        `asked ${when(handOff.askedAt)}`,
        handOff.asker && `by ${handOff.asker}`,
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    h(
      'details',
      {},
      h('summary', {}, 'The answer the Navigator gave'),
      h('div', { class: 'answer-text' }, ...renderAnswerText(handOff.answer, [])),
    ),
    handOff.note
      ? h('p', {}, h('span', { class: 'label' }, 'What they still need: '), handOff.note)
      : h('p', { class: 'card-meta' }, 'No note.'),
    handOff.status === 'open'
      ? replyForm(view, handOff, filter)
      : h(
          'div',
          { class: 'curator-reply' },
          h(
            'p',
            { class: 'curator-reply-label' },
            [`Reply by ${handOff.repliedBy ?? 'a curator'}`, handOff.answeredAt && when(handOff.answeredAt)]
              .filter(Boolean)
              .join(', '),
          ),
          h('p', { class: 'curator-reply-text' }, handOff.reply ?? ''),
        ),
  );
}

export async function showHandOffs(view: HTMLElement, filter: Filter = 'open', notice = ''): Promise<void> {
  const { handOffs, open } = await getJson<HandOffList>(`/api/curate/hand-offs?status=${filter}`);
  showOpenCount(open);
  // Oldest first from the server; with "All", the open ones come before the answered ones.
  const listed = [...handOffs].sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open'));
  const select = h(
    'select',
    {
      id: 'hand-off-status',
      onchange: (event: Event) =>
        void showHandOffs(view, (event.target as HTMLSelectElement).value as Filter),
    },
    ...filters.map(([value, text]) =>
      h('option', { value, ...(value === filter ? { selected: true } : {}) }, text),
    ),
  );
  const status = h('p', { class: 'status', role: 'status', tabindex: '-1', id: 'hand-off-notice' }, notice);
  replace(
    view,
    h('h2', {}, 'Hand-offs'),
    h('p', {}, `Questions web users handed to the curators: ${open} open.`),
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'hand-off-status' }, 'Status'), select),
    ),
    status,
    listed.length === 0
      ? h('p', {}, 'No hand-offs here.')
      : h(
          'ul',
          { class: 'entry-list', 'aria-label': 'Hand-offs' },
          ...listed.map((item) => handOffCard(view, item, filter)),
        ),
  );
  if (notice) status.focus();
}
