import { CloudAdapter, type TurnContext } from 'botbuilder';
import express, { type Express } from 'express';
import { askLimitsFor } from '../ask-limits.js';
import type { Channel, ChannelContext } from '../channel.js';
import { createTeamsAuthentication, verifyRequest } from './bot-framework-auth.js';
import { longestAnswerMs } from '../server.js';
import { TeamsAnswerDelivery } from './answer-delivery.js';
import { registerTeamsAnswerJobs } from './answer-jobs.js';
import { TeamsCuratorHandOff } from './curator-hand-off.js';
import { keepCustomEntityFields } from './keep-entity-fields.js';
import { TeamsChannelSettings } from './channel-settings.js';
import { NavigatorBot } from './navigator-bot.js';
import { renderNotice } from './render-text-reply.js';
import { answerTeamsDigestCommand, registerTeamsDigestJobs } from './teams-digests.js';

// Microsoft Teams on the shared server: POST /api/messages → botbuilder's CloudAdapter → NavigatorBot.
// botbuilder is archived by Microsoft, so everything it touches stays in this folder and this file
// is the only place that wires it up.

/** The Teams channel, or undefined when Teams is not to be served (see createTeamsAuthentication). */
export function createTeamsChannel(
  context: ChannelContext,
  options: { streamIntervalMs?: number; streamHoldMs?: number } = {},
): Channel | undefined {
  const { config, navigator, log } = context;
  const setup = createTeamsAuthentication(config, log);
  if (!setup) return undefined;
  if (!keepCustomEntityFields())
    log(
      'warn',
      "Teams: could not patch botbuilder's Entity serialiser; " +
        'replies will lack the AI label and citation pop-ups.',
    );
  const adapter = new CloudAdapter(setup.authentication);

  // The one error sink: a short sentence for the user, the cause in the log.
  adapter.onTurnError = async (turnContext: TurnContext, error: Error) => {
    const { type, name } = turnContext.activity;
    log('error', `Teams: a ${type}${name ? ` ${name}` : ''} turn failed`, error);
    if (type === 'invoke') return; // the invoke's caller gets the HTTP error; a chat message would be noise
    try {
      await turnContext.sendActivity(
        renderNotice('Sorry, something went wrong on my side while answering. Please try again in a moment.'),
      );
    } catch (sendError) {
      log('error', 'Teams: could not tell the user about the error', sendError);
    }
  };

  const continueConversation = (
    reference: Parameters<typeof adapter.continueConversationAsync>[1],
    logic: (turn: TurnContext) => Promise<void>,
  ) => adapter.continueConversationAsync(setup.appId ?? '', reference, logic);
  const curators = new TeamsCuratorHandOff(context, config.curators.teamsChannel, continueConversation);
  // Proactive turns sign in as the bot (its app id and secret), as in-turn replies do.
  const delivery = new TeamsAnswerDelivery({
    navigator,
    store: context.store,
    log,
    continueConversation,
    curators,
  });
  registerTeamsAnswerJobs(context, delivery);
  const bot = new NavigatorBot({
    navigator,
    store: context.store,
    jobs: context.jobs,
    delivery,
    log,
    streamIntervalMs: options.streamIntervalMs,
    streamHoldMs: options.streamHoldMs ?? longestAnswerMs(config),
    askLimits: (asker) => askLimitsFor(config, asker),
    settings: new TeamsChannelSettings(context.store, context.config.knowledgeDir, log),
    curators,
    commands: (turn, text) => answerTeamsDigestCommand(context, turn, text),
  });
  registerTeamsDigestJobs(context, {
    continueConversation: (reference, logic) =>
      adapter.continueConversationAsync(setup.appId ?? '', reference, logic),
    // No audience: the connector's default for this cloud, as continueConversationAsync uses.
    createConversation: (serviceUrl, parameters, logic) =>
      adapter.createConversationAsync(
        setup.appId ?? '',
        'msteams',
        serviceUrl,
        undefined!,
        parameters,
        logic,
      ),
  });

  return {
    name: 'teams',
    mount(app: Express) {
      // The host has no global body parser (Slack verifies raw bodies); Teams sends JSON.
      const parseJson = express.json({ limit: '1mb' });
      app.post(
        '/api/messages',
        (request, response, next) =>
          parseJson(request, response, (error?: unknown) => {
            if (!error) return next();
            if ((error as { type?: string }).type === 'entity.too.large')
              response.status(413).json({ error: 'the body is too large' });
            else response.status(400).json({ error: 'the body is not JSON' });
          }),
        async (request, response) => {
          if (setup.mode === 'verified') {
            const verdict = await verifyRequest(
              setup.authentication,
              request.body,
              request.headers.authorization,
            );
            if (!verdict.ok) {
              log('warn', `Teams: rejected an unauthenticated request to /api/messages: ${verdict.reason}`);
              response.status(401).json({ error: 'unauthorized' });
              return;
            }
          }
          const activity = request.body as { type?: unknown; serviceUrl?: unknown } | undefined;
          if (typeof activity?.type !== 'string') {
            response.status(400).json({ error: 'the body is not a Bot Framework activity' });
            return;
          }
          // Without one, botbuilder falls back to a public host in development mode: refuse it.
          if (typeof activity.serviceUrl !== 'string' || !URL.canParse(activity.serviceUrl)) {
            response.status(400).json({ error: 'the activity has no serviceUrl' });
            return;
          }
          try {
            await adapter.process(request, response, (turnContext) => bot.run(turnContext));
          } catch (error) {
            log('error', 'Teams: botbuilder could not process a request', error);
            if (!response.headersSent) response.status(500).json({ error: 'internal error' });
          }
        },
      );
    },
    async stop() {
      await bot.settle();
    },
  };
}
