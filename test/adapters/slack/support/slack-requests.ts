import { createHmac, randomUUID } from 'node:crypto';

export const testSigningSecret = 'test-signing-secret-8f3a1c';
export const team = 'T0PSI';
export const botUserId = 'U0NAVIGATOR';

/** Slack's v0 request signature: HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function signatureHeaders(
  body: string,
  secret = testSigningSecret,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

export interface SlackHttpResult {
  status: number;
  body: string;
  json(): any;
  elapsedMillis: number;
}

/** POSTs a body to the Slack endpoint with the given headers, as Slack would. */
export async function postToSlack(
  endpoint: string,
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  headers: Record<string, string>,
): Promise<SlackHttpResult> {
  const started = performance.now();
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text,
    json: () => JSON.parse(text),
    elapsedMillis: performance.now() - started,
  };
}

let clock = 1_710_000_000;
/** A fresh message timestamp, the way Slack writes them. */
export const nextTs = () => `${(clock += 1)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

/** An Events API envelope (event_callback) around one event. */
export function eventEnvelope(
  event: Record<string, unknown>,
  eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: team,
    api_app_id: 'A0NAVIGATOR',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: team, user_id: botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

export function appMention(text: string, channel = 'C0PUBLIC', ts = nextTs(), threadTs?: string) {
  return {
    type: 'app_mention',
    user: 'U0ALICE',
    text: `<@${botUserId}> ${text}`,
    ts,
    channel,
    team,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
}

export function channelMessage(text: string, channel: string, ts: string) {
  return { type: 'message', channel_type: 'channel', user: 'U0ALICE', text, ts, channel, team };
}

export function directMessage(text: string, channel = 'D0ALICE', ts = nextTs(), threadTs?: string) {
  return {
    type: 'message',
    channel_type: 'im',
    user: 'U0ALICE',
    text,
    ts,
    channel,
    team,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
}

/** A slash command as Slack posts it (form-encoded). */
export function slashCommandBody(text: string, responseUrl: string, channel = 'C0PUBLIC'): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: team,
    team_domain: 'psi',
    channel_id: channel,
    channel_name: 'innovation',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/navigator',
    text,
    api_app_id: 'A0NAVIGATOR',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `trigger-${randomUUID()}`,
  }).toString();
}

/** An interaction (block_actions, view_submission, shortcut) as Slack posts it: form field `payload`. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A block_actions payload for a click on a button or feedback button in a message. */
export function blockActions(
  action: Record<string, unknown>,
  options: {
    channel?: string;
    messageTs?: string;
    threadTs?: string;
    responseUrl?: string;
    ephemeral?: boolean;
    /** The clicked message's text (Slack sends the message's fallback text). */
    text?: string;
  } = {},
) {
  const channel = options.channel ?? 'C0PUBLIC';
  return {
    type: 'block_actions',
    user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: team },
    api_app_id: 'A0NAVIGATOR',
    token: 'legacy-verification-token',
    container: options.ephemeral
      ? {
          type: 'message',
          message_ts: options.messageTs ?? nextTs(),
          channel_id: channel,
          is_ephemeral: true,
        }
      : { type: 'message', message_ts: options.messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `trigger-${randomUUID()}`,
    team: { id: team, domain: 'psi' },
    channel: { id: channel, name: 'innovation' },
    ...(options.ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            user: botUserId,
            bot_id: 'B0NAVIGATOR',
            ts: options.messageTs,
            ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
            text: options.text ?? 'answer',
          },
        }),
    ...(options.responseUrl ? { response_url: options.responseUrl } : {}),
    actions: [{ block_id: 'b1', action_ts: String(Date.now() / 1000), ...action }],
  };
}

/** A view_submission payload with the given input values, keyed block_id → action_id → value. */
export function viewSubmission(
  callbackId: string,
  values: Record<string, Record<string, string>>,
  privateMetadata = '',
) {
  const state: Record<string, Record<string, { type: string; value: string }>> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    state[blockId] = Object.fromEntries(
      Object.entries(actions).map(([actionId, value]) => [actionId, { type: 'plain_text_input', value }]),
    );
  }
  return {
    type: 'view_submission',
    team: { id: team, domain: 'psi' },
    user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: team },
    api_app_id: 'A0NAVIGATOR',
    token: 'legacy-verification-token',
    trigger_id: `trigger-${randomUUID()}`,
    view: {
      id: 'V0MODAL',
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      state: { values: state },
      hash: 'h',
      team_id: team,
      app_id: 'A0NAVIGATOR',
      blocks: [],
    },
  };
}
