import { App, ExpressReceiver, webApi } from '@slack/bolt';
import express from 'express';
import { NavigatorError } from '../../src/index.js';
import type { Channel, ChannelContext } from '../channel.js';
import { AnswerDelivery } from './answer-delivery.js';
import { BackgroundTasks } from '../background-tasks.js';
import { registerAppHome } from './app-home.js';
import { enqueueThreadAnswer } from './thread-answer-jobs.js';
import { registerCaseSubmission } from './case-submission.js';
import { registerChannelSettings } from './channel-settings-listeners.js';
import { PrivateMentionAnswers } from './private-mention-answers.js';
import { registerCommandAnswerJobs } from './command-answer-jobs.js';
import { registerCommandListeners } from './command-listeners.js';
import { registerCuratorHandOff } from './curator-hand-off.js';
import { EphemeralAnswers } from './ephemeral-answers.js';
import { registerFeedbackListeners } from './feedback-listeners.js';
import { registerFollowUpListeners } from './follow-up-listeners.js';
import { registerMessageListeners } from './message-listeners.js';
import { NavigatorHelp } from './navigator-help.js';
import { createSlackLogger, slackClientOptions, slackRetryConfig } from './slack-client-options.js';
import { registerShareAnswerJobs } from './share-answer-jobs.js';
import { registerSlackDigestJobs } from './slack-digests.js';
import { SlackIdentityStore } from './slack-identity.js';
import { slackIntakeGuard } from './slack-intake.js';
import { StoredFirstSocketModeReceiver } from './socket-mode-receiver.js';
import { registerThreadAnswerJobs } from './thread-answer-jobs.js';
import { threadContextReader } from './thread-context.js';
import { SlackThreadFollowUps } from './thread-follow-ups.js';

/** Where Slack sends events, commands and interactions in HTTP mode (also in manifest.json). */
export const slackEventsPath = '/slack/events';

/**
 * The Slack channel: Bolt for the protocol (signature checks, acks, retries, Socket Mode), the
 * listeners for translation. HTTP mode mounts Bolt's ExpressReceiver on the shared server;
 * with SLACK_APP_TOKEN it connects over Socket Mode instead and needs no public URL.
 */
export async function createSlackChannel(context: ChannelContext): Promise<Channel> {
  const settings = context.config.slack;
  if (!settings || !settings.signingSecret.trim() || !settings.botToken.trim()) {
    // Bolt would verify nothing with an empty secret (the bypass fixed in 4.7.3); refuse outright.
    throw new NavigatorError(
      'config_invalid',
      'Slack needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN; ' +
        "copy them from the Slack app's Basic Information and OAuth & Permissions pages.",
    );
  }
  const logger = createSlackLogger(context.log);
  const clientOptions = slackClientOptions(context, logger);
  // auth.test at start must not hold the server for the client's long retry schedule.
  const identity = new SlackIdentityStore(
    new webApi.WebClient(undefined, {
      ...clientOptions,
      retryConfig: { ...slackRetryConfig, retries: 2, maxTimeout: 2_000 },
    }),
    settings.botToken,
    context.log,
  );
  const socketMode = Boolean(settings.appToken);
  // The guard is registered first, so it runs before the route Bolt adds to this router.
  const router = express.Router();
  router.post(slackEventsPath, ...slackIntakeGuard(settings.signingSecret));
  const receiver = socketMode
    ? undefined
    : new ExpressReceiver({
        signingSecret: settings.signingSecret,
        endpoints: slackEventsPath,
        // Our own router, mounted on the shared app in mount(); Bolt parses the raw body itself.
        router,
        // The 200 goes out once the listener returns: a question is stored as a job first, so an
        // acknowledged event is never lost. Listeners stay quick; answers are worked from the queue.
        processBeforeResponse: true,
        logger,
      });
  const app = new App({
    // Socket Mode acknowledges once the question is stored, as HTTP mode does (socket-mode-receiver.ts).
    receiver:
      receiver ?? new StoredFirstSocketModeReceiver({ appToken: settings.appToken!, clientOptions, logger }),
    authorize: identity.authorize,
    clientOptions,
    logger,
    // Bolt's per-conversation state store is unused: the core keeps the conversations.
    convoStore: false,
  });
  // Logged and passed on: a listener that failed before its event was stored must not be
  // acknowledged (HTTP: 500, Socket Mode: no ack), so that Slack delivers it again.
  app.error(async (error) => {
    context.log('error', `slack: ${error.message}`, error);
    throw error;
  });

  const tasks = new BackgroundTasks(context.log, 'slack');
  const help = new NavigatorHelp(context.navigator);
  // Stored jobs carry no Bolt client: the worker posts with its own, for the single workspace.
  const workerClient = new webApi.WebClient(settings.botToken, clientOptions);
  const delivery = new AnswerDelivery(context, workerClient);
  registerThreadAnswerJobs(context, delivery, {
    threads: threadContextReader(context, clientOptions, identity),
    privateAnswers: new PrivateMentionAnswers(context, workerClient),
  });
  registerSlackDigestJobs(context, workerClient);
  const answers = new EphemeralAnswers(context);
  registerCommandAnswerJobs(context, answers);
  registerShareAnswerJobs(context, answers);
  const threads = new SlackThreadFollowUps(context.store.engagedThreads, settings.threadFollowUps);
  registerMessageListeners(app, { context, tasks, identity, help, threads, log: context.log });
  const channelSettings = registerChannelSettings(app, context);
  registerCommandListeners(app, { context, help, settings: channelSettings });
  registerFollowUpListeners(app, { context });
  registerFeedbackListeners(app, context, tasks);
  registerCaseSubmission(app, context, tasks);
  registerCuratorHandOff(app, context, workerClient);
  registerAppHome(app, {
    help,
    enqueue: (question) => enqueueThreadAnswer(context, question),
    // From the question log: the text as asked, kept only for its retention (NAVIGATOR_QUESTION_LOG_DAYS).
    recentQuestions: (user) => context.store.questionLog.recentOf('slack', user),
    tasks,
    log: context.log,
  });

  return {
    name: 'slack',
    mount(server) {
      if (receiver) server.use(receiver.router);
    },
    async start() {
      await identity.verify();
      if (socketMode) await app.start();
      context.log(
        'info',
        socketMode ? 'slack: connected over Socket Mode' : `slack: listening on ${slackEventsPath}`,
      );
    },
    async stop() {
      if (socketMode) await app.stop();
      await tasks.drain();
    },
  };
}
