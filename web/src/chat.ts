import './styles.css';
import type { Conversation, SessionBody, Turn } from '../../adapters/web/api-schemas.js';
import { ApiFailure, getJson, openSession, postEventStream, postJson } from './api.js';
import { renderAnswerText } from './answer-text.js';
import { forgetHandOffs, handOffSection, schedulePoll } from './chat-hand-off.js';
import { externalLink, h, replace } from './dom.js';

// The chat page: one conversation per browser session, kept in the store, so a reload shows it
// again. Answers stream in as server-sent events; the finished turn replaces the streamed text.

const transcript = document.querySelector<HTMLElement>('#transcript')!;
const form = document.querySelector<HTMLFormElement>('#ask-form')!;
const input = document.querySelector<HTMLTextAreaElement>('#question')!;
const askButton = document.querySelector<HTMLButtonElement>('#ask-button')!;
const status = document.querySelector<HTMLElement>('#status')!;
const newConversation = document.querySelector<HTMLButtonElement>('#new-conversation')!;
let session: SessionBody;

const say = (message: string) => (status.textContent = message);

function peerCards(turn: Turn): Node | false {
  if (turn.answer.peerCases.length === 0) return false;
  return h(
    'section',
    { class: 'cards', 'aria-label': 'Peer cases' },
    h('h3', {}, 'Peer cases'),
    h(
      'ul',
      {},
      ...turn.answer.peerCases.map((peer) =>
        h(
          'li',
          { class: 'card' },
          h('p', { class: 'card-title' }, externalLink(peer.url, peer.title)),
          h(
            'p',
            { class: 'card-meta' },
            [peer.country, peer.level, peer.year ? String(peer.year) : undefined].filter(Boolean).join(' · '),
          ),
          peer.organisation &&
            h('p', {}, h('span', { class: 'label' }, 'Whom to approach: '), peer.organisation),
          h('p', { class: 'card-reason' }, peer.reason),
        ),
      ),
    ),
  );
}

function methodCards(turn: Turn): Node | false {
  if (turn.answer.recommendedMethods.length === 0) return false;
  return h(
    'section',
    { class: 'cards', 'aria-label': 'Methods and toolkits' },
    h('h3', {}, 'Methods and toolkits'),
    h(
      'ul',
      {},
      ...turn.answer.recommendedMethods.map((method) =>
        h(
          'li',
          { class: 'card' },
          h('p', { class: 'card-title' }, externalLink(method.url, method.title)),
          method.publisher && h('p', { class: 'card-meta' }, method.publisher),
          h('p', { class: 'card-reason' }, method.reason),
        ),
      ),
    ),
  );
}

function sources(turn: Turn): Node | false {
  if (turn.answer.citations.length === 0) return false;
  return h(
    'section',
    { class: 'sources', 'aria-label': 'Sources' },
    h('h3', {}, 'Sources'),
    h(
      'ol',
      {},
      ...turn.answer.citations.map((citation) =>
        h('li', {}, externalLink(citation.url, citation.title), ` (${citation.type})`),
      ),
    ),
  );
}

function followUps(turn: Turn): Node | false {
  if (turn.answer.followUps.length === 0) return false;
  return h(
    'div',
    { class: 'follow-ups', role: 'group', 'aria-label': 'Follow-up questions' },
    ...turn.answer.followUps.map((text) =>
      h('button', { type: 'button', class: 'follow-up', onclick: () => void ask(text) }, text),
    ),
  );
}

function feedback(turn: Turn): Node {
  const box = h('div', { class: 'feedback' });
  const thanks = () =>
    replace(box, h('p', { class: 'thanks', role: 'status' }, 'Thank you: the curators will see this.'));
  if (turn.rating) {
    thanks();
    return box;
  }
  const choose = (rating: 'helpful' | 'not_helpful') => {
    const comment = h('textarea', { id: `comment-${turn.turnId}`, rows: '2', maxlength: '2000' });
    const commentForm = h(
      'form',
      {
        class: 'comment-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const text = comment.value.trim();
          postJson('/api/feedback', { turnId: turn.turnId, rating, ...(text ? { comment: text } : {}) })
            .then(thanks)
            .catch((error: unknown) => say(describe(error)));
        },
      },
      h(
        'label',
        { for: `comment-${turn.turnId}` },
        rating === 'helpful' ? 'What helped? (optional)' : 'What was missing or wrong? (optional)',
      ),
      comment,
      h('button', { type: 'submit' }, 'Send feedback'),
    );
    replace(box, commentForm);
    comment.focus();
  };
  replace(
    box,
    h('span', { class: 'feedback-question', id: `rate-${turn.turnId}` }, 'Was this helpful?'),
    h(
      'button',
      { type: 'button', 'aria-describedby': `rate-${turn.turnId}`, onclick: () => choose('helpful') },
      h('span', { 'aria-hidden': 'true' }, '👍 '),
      'Yes',
    ),
    h(
      'button',
      { type: 'button', 'aria-describedby': `rate-${turn.turnId}`, onclick: () => choose('not_helpful') },
      h('span', { 'aria-hidden': 'true' }, '👎 '),
      'No',
    ),
  );
  return box;
}

function renderTurn(turn: Turn): HTMLElement {
  return h(
    'article',
    { class: 'turn', tabindex: '-1', 'aria-label': `Answer to: ${turn.question}` },
    h('p', { class: 'question' }, h('span', { class: 'visually-hidden' }, 'You asked: '), turn.question),
    h(
      'div',
      { class: 'answer' },
      h(
        'p',
        { class: 'ai-label' },
        turn.aiGenerated
          ? 'AI-generated answer from the knowledge base: check the sources.'
          : 'Answer composed automatically from the knowledge base: check the sources.',
      ),
      h('div', { class: 'answer-text' }, ...renderAnswerText(turn.answer.text, turn.answer.citations)),
      peerCards(turn),
      methodCards(turn),
      sources(turn),
      followUps(turn),
      feedback(turn),
      handOffSection(session, turn),
    ),
  );
}

function describe(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return 'The Navigator cannot be reached; check your connection and try again.';
}

async function ask(question: string): Promise<void> {
  const text = question.trim();
  if (!text) {
    say('Type a question first.');
    input.focus();
    return;
  }
  askButton.disabled = true;
  input.value = '';
  const pending = h(
    'article',
    { class: 'turn', 'aria-busy': 'true' },
    h('p', { class: 'question' }, h('span', { class: 'visually-hidden' }, 'You asked: '), text),
    h(
      'div',
      { class: 'answer' },
      h('div', { class: 'answer-text' }, h('p', {}, 'Looking in the knowledge base…')),
    ),
  );
  transcript.append(pending);
  pending.scrollIntoView({ block: 'nearest' });
  say('Answering…');
  let written = '';
  try {
    await postEventStream('/api/ask/stream', { question: text }, (event, data) => {
      if (event === 'delta') {
        written += (data as { text: string }).text;
        replace(pending.querySelector('.answer-text')!, ...renderAnswerText(written, []));
      } else if (event === 'turn') {
        const finished = renderTurn(data as Turn);
        pending.replaceWith(finished);
        say('Answer ready.');
        finished.querySelector<HTMLElement>('.answer-text')?.setAttribute('tabindex', '-1');
      } else if (event === 'error') say((data as { error: { message: string } }).error.message);
    });
  } catch (error) {
    pending.remove();
    input.value = text;
    say(describe(error));
  } finally {
    askButton.disabled = false;
    input.focus();
  }
}

async function start(): Promise<void> {
  session = await openSession();
  if (!session.chat.canAsk) {
    form.hidden = true;
    replace(
      transcript,
      h(
        'p',
        { class: 'notice' },
        'This chat is for signed-in users. ',
        session.signIn.oidc
          ? h('a', { href: '/auth/oidc/start?return=chat' }, 'Sign in with your organisation')
          : 'Ask your administrator for access.',
      ),
    );
    return;
  }
  const conversation = await getJson<Conversation>('/api/conversation');
  replace(transcript, ...conversation.turns.map(renderTurn));
  schedulePoll();
  transcript.lastElementChild?.scrollIntoView({ block: 'nearest' });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void ask(input.value);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});
newConversation.addEventListener('click', () => {
  postJson('/api/conversation/new')
    .then(() => {
      transcript.replaceChildren();
      forgetHandOffs();
      say('New conversation started.');
      input.focus();
    })
    .catch((error: unknown) => say(describe(error)));
});

start().catch((error: unknown) => say(describe(error)));
