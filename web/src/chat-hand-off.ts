import type {
  AskCuratorResponse,
  Conversation,
  SessionBody,
  Turn,
  TurnHandOff,
} from '../../adapters/web/api-schemas.js';
import { ApiFailure, getJson, postJson } from './api.js';
import { externalLink, h, replace } from './dom.js';

// "Ask a curator" under each answer: an optional note, then the answer goes to the curator console
// (once per answer). While a hand-off is open the page polls the conversation, so the curator's
// reply appears under its answer, marked as a person's, without a reload.

/** 15 s by default; `?poll-ms=` shortens it (the browser test does), never below a quarter second. */
const pollMs = Math.max(250, Number(new URLSearchParams(location.search).get('poll-ms')) || 15_000);

/** Turn id → the hand-off last rendered for it. */
const shown = new Map<string, TurnHandOff>();
let pollTimer: ReturnType<typeof setTimeout> | undefined;

const boxId = (turnId: string) => `hand-off-${turnId}`;

function describe(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return 'The Navigator cannot be reached; check your connection and try again.';
}

function contactLink(session: SessionBody, turn: Turn): Node | false {
  const contact = session.chat.curatorContact;
  if (!contact) return false;
  const href = contact.startsWith('mailto:')
    ? `${contact}?subject=${encodeURIComponent('A question for the curators')}&body=${encodeURIComponent(
        `${turn.question}\n\n(The Navigator answered: ${turn.answer.text.slice(0, 600)})`,
      )}`
    : contact;
  // With the console on, the link is the second way; its name says so, and matches what is shown.
  const text = session.chat.handOff ? 'Or write to the curators' : 'Ask a curator';
  return h('p', { class: 'hand-off' }, externalLink(href, text, `${text} about this question`));
}

function curatorReply(reply: NonNullable<TurnHandOff['reply']>): Node {
  return h(
    'div',
    { class: 'curator-reply' },
    h('p', { class: 'curator-reply-label' }, reply.label),
    h('p', { class: 'curator-reply-text' }, reply.text),
    h('p', { class: 'card-meta' }, `Replied ${new Date(reply.repliedAt).toLocaleString()}`),
  );
}

/** The notice and (once there) the reply; the reply lands in a live region that exists beforehand. */
function renderHandOff(box: HTMLElement, handOff: TurnHandOff, created = true): void {
  replace(
    box,
    h(
      'button',
      { type: 'button', class: 'secondary', disabled: true },
      handOff.reply ? 'Answered by a curator' : 'Sent to a curator',
    ),
    h(
      'p',
      { class: 'hand-off-notice' },
      created ? handOff.notice : `This answer was already with the curators. ${handOff.notice}`,
    ),
    h(
      'div',
      { class: 'curator-reply-region', 'aria-live': 'polite' },
      handOff.reply && curatorReply(handOff.reply),
    ),
  );
}

function noteForm(box: HTMLElement, turn: Turn, askButton: HTMLButtonElement): void {
  const noteId = `hand-off-note-${turn.turnId}`;
  const note = h('textarea', { id: noteId, rows: '3', maxlength: '2000' });
  const message = h('p', { class: 'status', role: 'status' });
  const form = h(
    'form',
    {
      class: 'comment-form hand-off-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const text = note.value.trim();
        send.disabled = true;
        postJson<AskCuratorResponse>('/api/hand-off', {
          turnId: turn.turnId,
          ...(text ? { note: text } : {}),
        })
          .then(({ handOff, created }) => {
            shown.set(turn.turnId, handOff);
            renderHandOff(box, handOff, created);
            box.closest<HTMLElement>('article.turn')?.focus();
            schedulePoll();
          })
          .catch((error: unknown) => {
            send.disabled = false;
            message.textContent = describe(error);
          });
      },
    },
    h('label', { for: noteId }, 'What do you still need? (optional)'),
    note,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Send to a curator'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            form.remove();
            askButton.hidden = false;
            askButton.focus();
          },
        },
        'Cancel',
      ),
    ),
    message,
  );
  const send = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  askButton.hidden = true;
  box.append(form);
  note.focus();
}

/** What goes under an answer: the hand-off button (or its state) and the contact link, if any. */
export function handOffSection(session: SessionBody, turn: Turn): Node {
  const box = h('div', { class: 'curator-hand-off', id: boxId(turn.turnId) });
  if (turn.handOff) {
    shown.set(turn.turnId, turn.handOff);
    renderHandOff(box, turn.handOff);
  } else if (session.chat.handOff) {
    const askButton: HTMLButtonElement = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': `Ask a curator about: ${turn.question}`,
        onclick: () => noteForm(box, turn, askButton),
      },
      'Ask a curator',
    );
    box.append(askButton);
  }
  return h('div', {}, box, contactLink(session, turn));
}

const anyOpen = () => [...shown.values()].some((handOff) => handOff.status === 'open');

/** Polls while a hand-off of this conversation is open; does nothing otherwise. */
export function schedulePoll(): void {
  if (pollTimer !== undefined || !anyOpen()) return;
  pollTimer = setTimeout(() => void poll(), pollMs);
}

async function poll(): Promise<void> {
  try {
    const conversation = await getJson<Conversation>('/api/conversation');
    for (const turn of conversation.turns) {
      const before = shown.get(turn.turnId);
      if (!turn.handOff || !before) continue;
      shown.set(turn.turnId, turn.handOff);
      const box = document.getElementById(boxId(turn.turnId));
      if (turn.handOff.reply && !before.reply && box) {
        box.querySelector('button')!.textContent = 'Answered by a curator';
        const region = box.querySelector('.curator-reply-region');
        if (region) replace(region, curatorReply(turn.handOff.reply));
      }
    }
  } catch {
    // A missed poll is retried on the next one.
  } finally {
    pollTimer = undefined;
    schedulePoll();
  }
}

/** A new conversation: nothing to wait for. */
export function forgetHandOffs(): void {
  shown.clear();
  if (pollTimer !== undefined) clearTimeout(pollTimer);
  pollTimer = undefined;
}
