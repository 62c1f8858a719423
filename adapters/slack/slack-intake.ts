import { parse as parseQuery } from 'node:querystring';
import { defaultBodyLimit, isValidSlackRequest } from '@slack/bolt';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';

// Runs before Bolt on /slack/events: a signed request whose payload Bolt cannot use would otherwise
// throw in the background (a slash command without response_url), get a 500, or wait 3 s for a
// 404. Such a request gets a 400 at once; a body over the limit a 413; a timestamp more than five
// minutes in the future (Bolt only refuses old ones) a 401. Bolt then reads the buffered body.

const futureSkewSeconds = 5 * 60;

const interactionTypes = [
  'block_actions',
  'block_suggestion',
  'interactive_message',
  'message_action',
  'shortcut',
  'view_submission',
  'view_closed',
  'dialog_submission',
  'dialog_cancellation',
  'dialog_suggestion',
] as const;

const slashCommandSchema = z.object({
  command: z.string(),
  text: z.string().optional(),
  response_url: z.string().url(),
  trigger_id: z.string(),
  user_id: z.string(),
  channel_id: z.string(),
});

const payloadSchema = z.union([
  z.object({ type: z.enum(['url_verification', 'ssl_check']) }),
  z.object({ type: z.literal('event_callback'), event: z.object({ type: z.string() }) }),
  z.object({ type: z.literal('app_rate_limited') }),
  z.object({ type: z.enum(interactionTypes), user: z.object({ id: z.string() }).optional() }),
  slashCommandSchema,
]);

/** What is wrong with a signed Slack payload, or undefined when Bolt can handle it. */
export function slackPayloadProblem(body: string, contentType: string | undefined): string | undefined {
  let parsed: unknown;
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = parseQuery(body);
      parsed = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else parsed = JSON.parse(body);
  } catch {
    return 'the body is not JSON or a form';
  }
  const result = payloadSchema.safeParse(parsed);
  return result.success ? undefined : 'the payload is not a Slack event, command or interaction Bolt can use';
}

/** The guard in front of Bolt's receiver on the events path. */
export function slackIntakeGuard(signingSecret: string): RequestHandler[] {
  const readRaw = express.raw({ type: () => true, limit: defaultBodyLimit });
  return [
    (request, response, next) =>
      readRaw(request, response, (error?: unknown) => {
        if (!error) return next();
        const tooLarge = (error as { type?: string }).type === 'entity.too.large';
        const status = tooLarge ? 413 : 400;
        response.status(status).json({ error: tooLarge ? 'the body is too large' : 'unreadable body' });
      }),
    (request, response, next) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const text = raw.toString('utf8');
      const timestamp = Number(request.headers['x-slack-request-timestamp']);
      const signature = request.headers['x-slack-signature'];
      const signed =
        typeof signature === 'string' &&
        Number.isFinite(timestamp) &&
        timestamp <= Math.floor(Date.now() / 1000) + futureSkewSeconds &&
        isValidSlackRequest({
          signingSecret,
          body: text,
          headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        });
      if (!signed) {
        response.status(401).json({ error: 'the request is not signed by Slack, or its time is off' });
        return;
      }
      const problem = slackPayloadProblem(text, request.headers['content-type']);
      if (problem) {
        response.status(400).json({ error: problem });
        return;
      }
      // Bolt reads a body that was already buffered from rawBody.
      (request as typeof request & { rawBody?: Buffer }).rawBody = raw;
      next();
    },
  ];
}
