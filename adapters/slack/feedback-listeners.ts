import type { App, BlockAction, RespondFn, types, webApi } from '@slack/bolt';
import type { Feedback } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import type { BackgroundTasks } from '../background-tasks.js';
import { blockKitLimits } from './block-kit-limits.js';
import {
  decodeFeedbackReference,
  encodeFeedbackReference,
  type FeedbackReference,
} from './feedback-reference.js';
import { noteNotHelpfulComment } from './curator-hand-off.js';
import { actionIds, callbackIds } from './interaction-ids.js';

const commentBlockId = 'feedback_comment';
const commentActionId = 'comment';

/** Where the thank-you goes: the conversation of the rated message, for the user who rated it. */
interface FeedbackPlace {
  channel?: string;
  user: string;
  threadTs?: string;
  /** The rated message, for its permalink; absent for an ephemeral answer, which has none. */
  messageTs?: string;
}

/** What the curators see of the rated answer: its text and a link that opens it in Slack. */
type RatedAnswer = Pick<Feedback, 'answer' | 'answerLink'>;

function toFeedback(
  reference: FeedbackReference,
  user: string,
  rated: RatedAnswer,
  comment?: string,
): Feedback {
  return {
    channel: 'slack',
    conversationId: reference.conversationId,
    user,
    question: reference.question,
    rating: reference.rating,
    comment,
    citedIds: reference.citedIds,
    ...rated,
  };
}

// An answer of several messages carries its buttons on the last, whose text only says "continued".
const continuedText = /^PSI Navigator answer, continued/;

async function ratedAnswer(
  client: webApi.WebClient,
  place: FeedbackPlace,
  text: string | undefined,
  log: ChannelContext['log'],
): Promise<RatedAnswer> {
  const answer = text && !continuedText.test(text) ? text : undefined;
  if (!place.channel || !place.messageTs) return { answer };
  try {
    const { permalink } = await client.chat.getPermalink({
      channel: place.channel,
      message_ts: place.messageTs,
    });
    return { answer, answerLink: permalink };
  } catch (error) {
    log('debug', 'slack: no permalink for a rated answer', error);
    return { answer };
  }
}

/** The optional comment modal; private_metadata carries the reference (Slack allows 3,000 characters). */
function commentModal(reference: FeedbackReference, place: FeedbackPlace): types.View {
  const metadata = JSON.stringify({ reference: encodeFeedbackReference(reference, 2_400), place });
  return {
    type: 'modal',
    callback_id: callbackIds.feedbackCommentModal,
    private_metadata:
      metadata.length <= blockKitLimits.privateMetadata
        ? metadata
        : JSON.stringify({ reference: encodeFeedbackReference({ rating: reference.rating }), place }),
    title: { type: 'plain_text', text: 'Your feedback' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            reference.rating === 'helpful'
              ? 'Glad it helped. What was most useful?'
              : 'Sorry it missed. What was wrong or missing?',
        },
      },
      {
        type: 'input',
        block_id: commentBlockId,
        optional: true,
        label: { type: 'plain_text', text: 'Comment (curators read these)' },
        element: { type: 'plain_text_input', action_id: commentActionId, multiline: true, max_length: 2_000 },
      },
    ],
  };
}

/**
 * 👍/👎 clicks are recorded at once, so no rating is lost; the thank-you offers a modal for an optional
 * written comment, recorded as a second line with the same rating, conversation and question.
 */
export function registerFeedbackListeners(app: App, context: ChannelContext, tasks: BackgroundTasks): void {
  const { feedback } = context.store;

  const thank = async (
    client: webApi.WebClient,
    respond: RespondFn | undefined,
    place: FeedbackPlace,
    reference: FeedbackReference,
    withCommentButton: boolean,
  ) => {
    const text = withCommentButton
      ? 'Thanks, your feedback is recorded.'
      : 'Thanks, your comment is recorded for the curators.';
    const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
    if (withCommentButton) {
      blocks.push({
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: actionIds.feedbackComment,
            text: { type: 'plain_text', text: 'Add a comment' },
            value: encodeFeedbackReference({ ...reference, messageTs: place.messageTs }),
          },
        ],
      });
    }
    // response_url reaches the user wherever the message is, even where the bot is not a member.
    if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
    else if (place.channel)
      await client.chat.postEphemeral({
        channel: place.channel,
        user: place.user,
        text,
        blocks,
        ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
      });
  };

  app.action<BlockAction>(
    new RegExp(`^(${actionIds.feedback}|${actionIds.feedbackHelpful}|${actionIds.feedbackNotHelpful})$`),
    async ({ ack, action, body, client, respond }) => {
      await ack();
      const reference = decodeFeedbackReference('value' in action ? action.value : undefined);
      if (!reference) {
        context.log('warn', 'slack: a feedback click carried no readable value');
        return;
      }
      const place: FeedbackPlace = {
        channel: body.channel?.id,
        user: body.user.id,
        threadTs: (body.message?.thread_ts ?? body.message?.ts) as string | undefined,
        messageTs: body.container?.is_ephemeral ? undefined : body.message?.ts,
      };
      tasks.run('recording feedback', async () => {
        const rated = await ratedAnswer(client, place, body.message?.text, context.log);
        await feedback.record(toFeedback(reference, body.user.id, rated));
        await thank(client, body.response_url ? respond : undefined, place, reference, true);
      });
    },
  );

  app.action<BlockAction>(actionIds.feedbackComment, async ({ ack, action, body, client }) => {
    await ack();
    const reference = decodeFeedbackReference('value' in action ? action.value : undefined);
    if (!reference) return;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: commentModal(reference, {
        channel: body.channel?.id,
        user: body.user.id,
        messageTs: reference.messageTs,
      }),
    });
  });

  app.view(callbackIds.feedbackCommentModal, async ({ ack, view, body, client }) => {
    const comment = view.state.values[commentBlockId]?.[commentActionId]?.value?.trim();
    let metadata: { reference?: string; place?: FeedbackPlace } = {};
    try {
      metadata = JSON.parse(view.private_metadata) as typeof metadata;
    } catch {
      // An unreadable modal still closes; there is nothing to record.
    }
    await ack();
    const reference = decodeFeedbackReference(metadata.reference);
    if (!reference || !comment) return;
    const place = metadata.place;
    tasks.run('recording a feedback comment', async () => {
      const rated = place ? await ratedAnswer(client, place, undefined, context.log) : {};
      await feedback.record(toFeedback(reference, body.user.id, rated, comment));
      if (reference.rating === 'not_helpful') await noteNotHelpfulComment(context);
      if (place?.channel)
        await thank(client, undefined, { ...place, user: body.user.id }, reference, false).catch(
          (error: unknown) => context.log('debug', 'slack: could not thank for a comment', error),
        );
    });
  });
}
