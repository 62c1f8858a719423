import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { NavigatorError, type Config } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';

// How /api/messages authenticates: with MICROSOFT_APP_ID, every request must carry a Bot Framework
// JWT (checked against the OpenID metadata's keys, issuer, audience = app id, serviceurl claim); without
// it, nothing is checked, which only the local Bot Framework Emulator should ever rely on.

export type TeamsAuthentication =
  | { mode: 'verified'; appId: string; authentication: ConfigurationBotFrameworkAuthentication }
  | { mode: 'unauthenticated'; appId: undefined; authentication: ConfigurationBotFrameworkAuthentication };

// Public-cloud values (botframework-connector's AuthenticationConstants). botbuilder uses them by
// default, but once one endpoint is overridden it expects all of them, or it sends undefined.
const publicCloud = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: CallerIdConstants.PublicAzureChannel,
};

const fix = "Fix it in your shell or .env (see .env.example and the README's Microsoft Teams section).";

/** True when any Teams variable was set; appType only counts when it differs from its default. */
export function anyTeamsSetting(config: Config): boolean {
  const teams = config.teams;
  return Boolean(
    teams.appId ||
    teams.appPassword ||
    teams.tenantId ||
    teams.openIdMetadataUrl ||
    teams.appType !== 'MultiTenant',
  );
}

/**
 * The authentication for config.teams, or undefined when Teams is not to be served: in production
 * with no Teams variable at all while another channel (Slack) is configured. Production with some
 * Teams setting but no app id would serve an open endpoint, so it refuses to start instead.
 */
export function createTeamsAuthentication(
  config: Config,
  log: ChannelContext['log'],
): TeamsAuthentication | undefined {
  const teams = config.teams;
  if (!teams.appId) {
    if (config.server.production) {
      if (!anyTeamsSetting(config) && config.slack) {
        log('info', 'Teams is not served: MICROSOFT_APP_ID is not set (NODE_ENV=production).');
        return undefined;
      }
      const orSlackOnly = config.slack ? ', or unset every MICROSOFT_APP_* variable to serve Slack only' : '';
      throw new NavigatorError(
        'config_invalid',
        'MICROSOFT_APP_ID: is not set but NODE_ENV=production; ' +
          '/api/messages would accept unauthenticated requests from anyone. ' +
          "Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD from the bot's Azure registration" +
          `${orSlackOnly}. ${fix}`,
      );
    }
    log(
      'warn',
      [
        '!!! Teams endpoint /api/messages runs WITHOUT AUTHENTICATION because MICROSOFT_APP_ID is not set.',
        'Anyone who can reach this port can post activities and make the bot call any serviceUrl.',
        'Use this only with the Bot Framework Emulator on your own machine;',
        'set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for Teams. !!!',
      ].join(' '),
    );
    return {
      mode: 'unauthenticated',
      appId: undefined,
      authentication: new ConfigurationBotFrameworkAuthentication({}),
    };
  }
  if (teams.appType === 'UserAssignedMSI') {
    if (teams.appPassword)
      throw new NavigatorError(
        'config_invalid',
        'MICROSOFT_APP_PASSWORD: must be empty when MICROSOFT_APP_TYPE is UserAssignedMSI ' +
          `(the managed identity signs in). ${fix}`,
      );
    if (!teams.tenantId)
      throw new NavigatorError(
        'config_invalid',
        `MICROSOFT_APP_TENANT_ID: is required when MICROSOFT_APP_TYPE is UserAssignedMSI. ${fix}`,
      );
  } else if (!teams.appPassword) {
    throw new NavigatorError(
      'config_invalid',
      'MICROSOFT_APP_PASSWORD: is missing; ' +
        'with MICROSOFT_APP_ID set the bot needs its client secret to reply ' +
        `(Azure portal → the bot's app registration → Certificates & secrets). ${fix}`,
    );
  }
  try {
    const authentication = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: teams.appId,
      MicrosoftAppPassword: teams.appPassword,
      MicrosoftAppType: teams.appType,
      MicrosoftAppTenantId: teams.tenantId,
      ...(teams.openIdMetadataUrl
        ? { ...publicCloud, ToBotFromChannelOpenIdMetadataUrl: teams.openIdMetadataUrl }
        : {}),
    });
    return { mode: 'verified', appId: teams.appId, authentication };
  } catch (cause) {
    throw new NavigatorError(
      'config_invalid',
      'The MICROSOFT_APP_* settings were rejected by the Bot Framework SDK: ' +
        `${(cause as Error).message}. ${fix}`,
      { cause },
    );
  }
}

/**
 * Checks a request's token before botbuilder sees it. botbuilder answers 401 only for its own
 * AuthenticationError; a token with a bad signature fails inside jsonwebtoken and comes back as a
 * 500, which the Bot Service would retry. Here every failure is a 401 and the reason goes to the log.
 */
export async function verifyRequest(
  authentication: ConfigurationBotFrameworkAuthentication,
  body: unknown,
  authorization: string | undefined,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (typeof body !== 'object' || body === null) return { ok: false, reason: 'the body is not an activity' };
  if (!authorization) return { ok: false, reason: 'no Authorization header' };
  try {
    await authentication.authenticateRequest(body as Activity, authorization);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
