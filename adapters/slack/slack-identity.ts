import { type webApi, type Authorize } from '@slack/bolt';
import { NavigatorError } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';

export interface SlackIdentity {
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

/** Slack's answers to auth.test that mean the token itself is wrong, not that Slack is unreachable. */
const rejectedTokenErrors = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

/**
 * Who the bot is (auth.test), learnt once at start and never on the path of an event. Bolt's own
 * single-token authorization calls auth.test from the App constructor and caches a rejected promise
 * for good when Slack is briefly unreachable, and without verification it calls auth.test on every
 * event before the ack; this authorize answers from memory and refreshes in the background.
 */
export class SlackIdentityStore {
  private identity: SlackIdentity = {};
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly botToken: string,
    private readonly log: ChannelContext['log'],
  ) {}

  get current(): SlackIdentity {
    return this.identity;
  }

  /** At start: learns the bot's ids; refuses a token Slack rejects; tolerates Slack being unreachable. */
  async verify(): Promise<void> {
    try {
      await this.refresh();
      this.log(
        'info',
        `slack: connected as bot user ${this.identity.botUserId ?? '?'} ` +
          `in team ${this.identity.teamId ?? '?'}`,
      );
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code && rejectedTokenErrors.has(code)) {
        throw new NavigatorError(
          'config_invalid',
          `Slack rejected SLACK_BOT_TOKEN (${code}). ` +
            "Copy the bot token (xoxb-…) again from the app's OAuth & Permissions page " +
            'and reinstall the app if it was revoked.',
          { cause: error },
        );
      }
      this.log('warn', 'slack: auth.test failed; will retry when the first event arrives', error);
    }
  }

  /** Bolt's authorize hook: the token plus whatever is known of the bot, without waiting on Slack. */
  readonly authorize: Authorize<boolean> = async () => {
    if (!this.identity.botUserId) this.refreshInBackground();
    return { botToken: this.botToken, botUserId: this.identity.botUserId, botId: this.identity.botId };
  };

  private refreshInBackground(): void {
    this.refreshing ??= this.refresh()
      .catch((error: unknown) => this.log('warn', 'slack: auth.test failed', error))
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  private async refresh(): Promise<void> {
    const result = await this.client.auth.test({ token: this.botToken });
    this.identity = { botUserId: result.user_id, botId: result.bot_id, teamId: result.team_id };
  }
}
