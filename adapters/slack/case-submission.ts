import type { App, GlobalShortcut, MessageShortcut, types, webApi } from '@slack/bolt';
import type { SubmitCaseResult } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import type { BackgroundTasks } from '../background-tasks.js';
import { callbackIds } from './interaction-ids.js';
import { escapeMrkdwn, truncatePlain } from './mrkdwn.js';
import { questionFromSlackText } from './slack-text.js';

/** Modal fields, named after the core's caseSubmissionSchema keys so its problems map onto blocks. */
const fields = [
  {
    key: 'title',
    label: 'Title of the case',
    placeholder: 'e.g. Proactive family benefits',
    multiline: false,
    maxLength: 200,
  },
  { key: 'country', label: 'Country', placeholder: 'e.g. Estonia', multiline: false, maxLength: 100 },
  {
    key: 'organisation',
    label: 'Organisation behind it',
    placeholder: 'e.g. Social Insurance Board',
    multiline: false,
    maxLength: 200,
  },
  {
    key: 'whatWasDone',
    label: 'What was done',
    placeholder: 'A few sentences: the problem, what changed, what came of it',
    multiline: true,
    maxLength: 3_000,
  },
  { key: 'link', label: 'Link to a source', placeholder: 'https://…', multiline: false, maxLength: 1_000 },
] as const;
type FieldKey = (typeof fields)[number]['key'];

export interface CasePrefill {
  whatWasDone?: string;
  link?: string;
}

/** The "Submit a case" modal. */
export function caseSubmissionModal(prefill: CasePrefill = {}): types.View {
  return {
    type: 'modal',
    callback_id: callbackIds.caseSubmissionModal,
    title: { type: 'plain_text', text: 'Submit a case' },
    submit: { type: 'plain_text', text: 'Submit' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Curators review every submission before it joins the knowledge base.' },
        ],
      },
      ...fields.map((field): types.InputBlock => {
        const initial =
          field.key === 'whatWasDone' ? prefill.whatWasDone : field.key === 'link' ? prefill.link : undefined;
        return {
          type: 'input',
          block_id: field.key,
          label: { type: 'plain_text', text: field.label },
          element: {
            type: 'plain_text_input',
            action_id: 'value',
            multiline: field.multiline,
            max_length: field.maxLength,
            placeholder: { type: 'plain_text', text: field.placeholder },
            ...(initial ? { initial_value: initial.slice(0, field.maxLength) } : {}),
          },
        };
      }),
    ],
  };
}

/** Opens the modal; the trigger id is only valid for three seconds, so call this right after ack. */
export async function openCaseSubmission(
  client: webApi.WebClient,
  triggerId: string,
  prefill: CasePrefill = {},
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: caseSubmissionModal(prefill) });
}

/** A message shortcut pre-fills "what was done" and the link from the message it was used on. */
function prefillFromMessage(text: string | undefined): CasePrefill {
  const plain = questionFromSlackText(text);
  return { whatWasDone: plain || undefined, link: /https?:\/\/[^\s)>|]+/.exec(text ?? '')?.[0] };
}

/** Shortcuts and the modal's submission: valid cases go to the review queue, problems show in the modal. */
export function registerCaseSubmission(app: App, context: ChannelContext, tasks: BackgroundTasks): void {
  app.shortcut<MessageShortcut>(callbackIds.submitCaseMessageShortcut, async ({ ack, shortcut, client }) => {
    await ack();
    await openCaseSubmission(client, shortcut.trigger_id, prefillFromMessage(shortcut.message.text));
  });

  app.shortcut<GlobalShortcut>(callbackIds.submitCaseGlobalShortcut, async ({ ack, shortcut, client }) => {
    await ack();
    await openCaseSubmission(client, shortcut.trigger_id);
  });

  app.view(callbackIds.caseSubmissionModal, async ({ ack, view, body, client }) => {
    const values = Object.fromEntries(
      fields.map((field) => [field.key, view.state.values[field.key]?.value?.value ?? '']),
    ) as Record<FieldKey, string>;
    let result: SubmitCaseResult;
    try {
      // The view id makes a submission Slack retries (or a double click) land once.
      result = await context.store.caseSubmissions.submit(
        values,
        { channel: 'slack', user: body.user.id },
        { submissionKey: `slack:${view.id}` },
      );
    } catch (error) {
      context.log('error', 'slack: could not store a case submission', error);
      await ack({
        response_action: 'errors',
        errors: { title: 'Sorry, the submission could not be saved. Please try again later.' },
      });
      return;
    }
    if (!result.ok) {
      // Slack shows each message under the input whose block_id it names.
      const known = new Set<string>(fields.map((field) => field.key));
      const errors = Object.fromEntries(
        Object.entries(result.problems).map(([key, message]) => [known.has(key) ? key : 'title', message]),
      );
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    // Confirmed in the app's direct messages, which always exist for the submitter.
    tasks.run('confirming a case submission', async () => {
      await client.chat.postMessage({
        channel: body.user.id,
        text:
          `Thanks! Your case “${escapeMrkdwn(truncatePlain(values.title, 150))}” ` +
          "is in the curators' review queue.",
      });
    });
  });
}
