import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askCuratorResponseSchema,
  conversationSchema,
  errorSchema,
  handOffListSchema,
  handOffReplyResponseSchema,
  sessionSchema,
  turnSchema,
} from '../../../adapters/web/api-schemas.js';
import { askerNotice, curatorReplyLabel } from '../../../adapters/curator-hand-off.js';
import { startWebTestServer, WebClient, type WebTestServer } from './support/web-test-server.js';

// "Ask a curator" from the web chat over a real socket (embedded store, offline Navigator): the
// hand-off is stored once per answer, a curator replies in the console, and the reply comes back in
// the asker's conversation.

const curatorToken = 'hand-off-curator-token-0123456789';
let server: WebTestServer;

beforeAll(async () => {
  server = await startWebTestServer({ NAVIGATOR_CURATOR_TOKEN: curatorToken });
});
afterAll(async () => server?.close());

async function asker(): Promise<WebClient> {
  const client = new WebClient(server.url);
  await client.open();
  return client;
}

async function curator(): Promise<WebClient> {
  const client = new WebClient(server.url);
  await client.open();
  const response = await client.post('/api/session/token', { token: curatorToken });
  expect(response.status).toBe(200);
  client.csrfToken = sessionSchema.parse(await response.json()).csrfToken;
  return client;
}

async function askQuestion(client: WebClient, question: string) {
  const response = await client.post('/api/ask', { question });
  expect(response.status).toBe(200);
  return turnSchema.parse(await response.json());
}

async function handOff(client: WebClient, turnId: string, note?: string) {
  return client.post('/api/hand-off', { turnId, ...(note ? { note } : {}) });
}

describe('asking a curator from the web chat', () => {
  it('offers the hand-off when the console can be signed in to, and documents the routes', async () => {
    const session = sessionSchema.parse(await new WebClient(server.url).open());
    expect(session.chat.handOff).toBe(true);
    const document = await (await fetch(`${server.url}/api/openapi.json`)).json();
    expect(document.paths['/api/hand-off'].post.requestBody.content['application/json']).toBeDefined();
    expect(document.paths['/api/curate/hand-offs'].get).toBeDefined();
    expect(document.paths['/api/curate/hand-offs/{handOffId}/reply'].post.responses['409']).toBeDefined();
  });

  it('stores one hand-off per answer, however often it is clicked, with the note', async () => {
    const client = await asker();
    const turn = await askQuestion(client, 'How do cities let residents vote on the budget?');
    const first = await handOff(client, turn.turnId, 'I need a contact in a small town');
    expect(first.status).toBe(200);
    expect(askCuratorResponseSchema.parse(await first.json())).toEqual({
      created: true,
      handOff: { status: 'open', notice: askerNotice },
    });
    const again = await Promise.all([1, 2, 3].map(() => handOff(client, turn.turnId, 'again')));
    const bodies = await Promise.all(
      again.map(async (response) => askCuratorResponseSchema.parse(await response.json())),
    );
    expect(bodies.map((body) => body.created)).toEqual([false, false, false]);

    const stored = (await server.store.handOffs.list('web')).filter(
      (item) => (item.payload as { turnId?: string }).turnId === turn.turnId,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      status: 'open',
      payload: {
        turnId: turn.turnId,
        question: 'How do cities let residents vote on the budget?',
        answer: turn.answer.text,
        note: 'I need a contact in a small town',
      },
    });
    const conversation = conversationSchema.parse(await (await client.get('/api/conversation')).json());
    expect(conversation.turns[0]!.handOff).toEqual({ status: 'open', notice: askerNotice });
    expect(stored[0]!.sourceConversation).toBe(conversation.conversationId);
  });

  it('refuses an answer of another conversation, and a note that is too long', async () => {
    const owner = await asker();
    const turn = await askQuestion(owner, 'regional foresight');
    const stranger = await asker();
    const refused = await handOff(stranger, turn.turnId);
    expect(refused.status).toBe(404);
    expect(errorSchema.parse(await refused.json()).error.code).toBe('not_found');
    const tooLong = await handOff(owner, turn.turnId, 'x'.repeat(2_001));
    expect(tooLong.status).toBe(400);
    expect(errorSchema.parse(await tooLong.json()).error.details?.note).toMatch(/2,000/);
    const forged = await owner.post('/api/hand-off', { turnId: turn.turnId }, { 'x-csrf-token': 'forged' });
    expect(forged.status).toBe(403);
    const { conversationId } = conversationSchema.parse(await (await owner.get('/api/conversation')).json());
    expect(await server.store.handOffs.listBySourceConversation(conversationId)).toEqual([]);
  });

  it('relays a curator reply into the asker’s conversation, kept across reloads', async () => {
    const client = await asker();
    const turn = await askQuestion(client, 'Who tried open data for school meals?');
    await handOff(client, turn.turnId, 'Any in Asia?');
    const console = await curator();
    const open = handOffListSchema.parse(await (await console.get('/api/curate/hand-offs')).json());
    const listed = open.handOffs.find((item) => item.question === 'Who tried open data for school meals?');
    expect(listed).toMatchObject({ status: 'open', note: 'Any in Asia?', answer: turn.answer.text });
    expect(open.open).toBe(open.handOffs.length);
    const times = open.handOffs.map((item) => item.askedAt);
    expect([...times].sort()).toEqual(times);

    const replied = await console.post(`/api/curate/hand-offs/${listed!.handOffId}/reply`, {
      reply: '  Try the Seoul school meals project; write to its team.  ',
    });
    expect(replied.status).toBe(200);
    expect(handOffReplyResponseSchema.parse(await replied.json()).handOff).toMatchObject({
      status: 'answered',
      reply: 'Try the Seoul school meals project; write to its team.',
      repliedBy: 'Curator',
    });
    // A reload of the asker's page: the same cookie, the conversation again.
    const conversation = conversationSchema.parse(await (await client.get('/api/conversation')).json());
    expect(conversation.turns[0]!.handOff).toMatchObject({
      status: 'answered',
      reply: { label: curatorReplyLabel, text: 'Try the Seoul school meals project; write to its team.' },
    });
    const after = handOffListSchema.parse(await (await console.get('/api/curate/hand-offs')).json());
    expect(after.open).toBe(open.open - 1);
    expect(after.handOffs.map((item) => item.handOffId)).not.toContain(listed!.handOffId);
    const answered = handOffListSchema.parse(
      await (await console.get('/api/curate/hand-offs?status=answered')).json(),
    );
    expect(answered.handOffs.map((item) => item.handOffId)).toContain(listed!.handOffId);
    expect((await console.get('/api/curate/hand-offs?status=closed-ish')).status).toBe(400);
  });

  it('refuses the reply endpoint to visitors, askers, forged CSRF tokens and empty replies', async () => {
    const client = await asker();
    const turn = await askQuestion(client, 'participatory budgeting');
    await handOff(client, turn.turnId);
    const [stored] = await server.store.handOffs.listBySourceConversation(
      conversationSchema.parse(await (await client.get('/api/conversation')).json()).conversationId,
    );
    const path = `/api/curate/hand-offs/${stored!.handOffId}/reply`;
    expect((await client.post(path, { reply: 'I am not a curator' })).status).toBe(401);
    expect((await client.get('/api/curate/hand-offs')).status).toBe(401);
    const anonymous = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reply: 'hello' }),
    });
    expect(anonymous.status).toBe(403);
    const console = await curator();
    const forged = await console.post(path, { reply: 'forged' }, { 'x-csrf-token': 'forged' });
    expect(forged.status).toBe(403);
    expect(errorSchema.parse(await forged.json()).error.code).toBe('csrf_invalid');
    const empty = await console.post(path, { reply: '   ' });
    expect(empty.status).toBe(400);
    expect(await server.store.handOffs.get(stored!.handOffId)).toMatchObject({ status: 'open' });
    expect((await console.post('/api/curate/hand-offs/no-such-id/reply', { reply: 'x' })).status).toBe(404);
  });

  it('stores one of two curators’ concurrent replies and answers the other 409', async () => {
    const client = await asker();
    const turn = await askQuestion(client, 'public sector innovation labs');
    await handOff(client, turn.turnId);
    const { conversationId } = conversationSchema.parse(await (await client.get('/api/conversation')).json());
    const [stored] = await server.store.handOffs.listBySourceConversation(conversationId);
    const [first, second] = await Promise.all([curator(), curator()]);
    const path = `/api/curate/hand-offs/${stored!.handOffId}/reply`;
    const responses = await Promise.all([
      first.post(path, { reply: 'Reply from the first curator' }),
      second.post(path, { reply: 'Reply from the second curator' }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    const refused = responses.find((response) => response.status === 409)!;
    expect(errorSchema.parse(await refused.json()).error.code).toBe('already_answered');
    const winner = handOffReplyResponseSchema.parse(
      await responses.find((response) => response.status === 200)!.json(),
    );
    const shown = conversationSchema.parse(await (await client.get('/api/conversation')).json());
    expect(shown.turns[0]!.handOff?.reply?.text).toBe(winner.handOff.reply);
  });

  it('limits new hand-offs per person per hour; a repeated click is not counted', async () => {
    const client = await asker();
    const statuses: number[] = [];
    for (const question of ['one', 'two', 'three', 'four', 'five', 'six']) {
      const turn = await askQuestion(client, `foresight ${question}`);
      statuses.push((await handOff(client, turn.turnId)).status);
      if (question === 'one') expect((await handOff(client, turn.turnId)).status).toBe(200);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('a web chat without a curator console', () => {
  let plain: WebTestServer;
  beforeAll(async () => {
    plain = await startWebTestServer({ NAVIGATOR_CURATOR_CONTACT: 'mailto:curators@example.org' });
  });
  afterAll(async () => plain?.close());

  it('keeps the contact link and refuses hand-offs', async () => {
    const client = new WebClient(plain.url);
    const session = sessionSchema.parse(await client.open());
    expect(session.chat).toMatchObject({ handOff: false, curatorContact: 'mailto:curators@example.org' });
    const turn = turnSchema.parse(await (await client.post('/api/ask', { question: 'foresight' })).json());
    const refused = await client.post('/api/hand-off', { turnId: turn.turnId });
    expect(refused.status).toBe(404);
    expect(errorSchema.parse(await refused.json()).error.code).toBe('not_configured');
  });
});
