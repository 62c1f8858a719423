import type { App, BlockAction } from '@slack/bolt';
import type { BackgroundTasks } from '../background-tasks.js';
import { openCaseSubmission } from './case-submission.js';
import type { EphemeralAnswers } from './ephemeral-answers.js';
import { actionIds, slashCommand } from './interaction-ids.js';
import { escapeMrkdwn, truncatePlain } from './mrkdwn.js';
import type { NavigatorHelp } from './navigator-help.js';
import { renderAnswer } from './render-answer.js';
import { questionFromSlackText } from './slack-text.js';

export interface CommandListenerDependencies {
  answers: EphemeralAnswers;
  tasks: BackgroundTasks;
  help: NavigatorHelp;
}

const submitWords = /^(submit|case|submit a case|submit case)$/i;

/** `/navigator <question>`, `/navigator help`, `/navigator submit`, and the "Share in channel" button. */
export function registerCommandListeners(
  app: App,
  { answers, tasks, help }: CommandListenerDependencies,
): void {
  app.command(slashCommand, async ({ command, ack, respond, client }) => {
    const text = questionFromSlackText(command.text);
    if (!text || /^help$/i.test(text)) {
      // The help answer is ready in memory, so it can be the acknowledgement itself.
      const [message] = renderAnswer(await help.answer(), { question: 'help', feedback: 'none' });
      await ack({ response_type: 'ephemeral', text: message!.text, blocks: message!.blocks });
      return;
    }
    if (submitWords.test(text)) {
      await ack();
      await openCaseSubmission(client, command.trigger_id);
      return;
    }
    // Acknowledge within Slack's three seconds; the answer follows through the response_url.
    await ack({
      response_type: 'ephemeral',
      text: `:mag: Looking into “${escapeMrkdwn(truncatePlain(text, 200))}”…`,
    });
    tasks.run('answering a command', () =>
      answers.answer(respond, { text, channel: command.channel_id, user: command.user_id }),
    );
  });

  app.action<BlockAction>(actionIds.share, async ({ ack, action, respond }) => {
    await ack();
    const shareId = 'value' in action && typeof action.value === 'string' ? action.value : '';
    tasks.run('sharing an answer', () => answers.share(respond, shareId));
  });
}
