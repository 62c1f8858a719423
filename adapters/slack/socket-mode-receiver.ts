import {
  defaultProcessEventErrorHandler,
  SocketModeReceiver,
  type App,
  type Logger,
  type ReceiverEvent,
  type webApi,
} from '@slack/bolt';

// Socket Mode (no public address) made as durable as HTTP mode. Bolt's SocketModeReceiver sends an
// event's acknowledgement as soon as Bolt calls ack(), which for Events API envelopes is before any
// listener runs: a question in flight when the replica stopped was acknowledged but never stored,
// and Slack does not send it again. Here, as with the HTTP receiver's processBeforeResponse, the
// envelope is acknowledged once the listeners have returned, i.e. once the question is a job. An
// envelope not acknowledged is delivered again by Slack (retry_attempt), and its delivery keys make
// that retry land once.

/** What @slack/socket-mode's client emits as `slack_event` for each envelope. */
interface SocketModeEnvelope {
  ack(response?: Record<string, unknown>): Promise<void>;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

export interface StoredFirstSocketModeOptions {
  appToken: string;
  /** The Web API client options, also for apps.connections.open (e.g. SLACK_API_URL). */
  clientOptions: webApi.WebClientOptions;
  logger: Logger;
}

export class StoredFirstSocketModeReceiver extends SocketModeReceiver {
  private bolt: App | undefined;
  private readonly log: Logger;

  constructor({ appToken, clientOptions, logger }: StoredFirstSocketModeOptions) {
    // installerOptions.clientOptions is what Bolt hands the Socket Mode client's own Web API client
    // (apps.connections.open). Without a retryConfig the client keeps its own: apps.connections.open
    // is safe to repeat, and a reconnect should outlast a long outage rather than give up.
    super({
      appToken,
      logger,
      installerOptions: { clientOptions: { ...clientOptions, retryConfig: undefined } },
    });
    this.log = logger;
    // The parent's one `slack_event` listener acknowledges first; this one stores first.
    this.client.removeAllListeners('slack_event');
    this.client.on('slack_event', (envelope: SocketModeEnvelope) => this.dispatch(envelope));
  }

  override init(app: App): void {
    super.init(app);
    this.bolt = app;
  }

  private async dispatch(envelope: SocketModeEnvelope): Promise<void> {
    let acknowledged = false;
    let response: Record<string, unknown> | undefined;
    const event: ReceiverEvent = {
      body: envelope.body,
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
      customProperties: {},
      ack: async (body?: Record<string, unknown>) => {
        if (acknowledged) return;
        acknowledged = true;
        response = body;
      },
    };
    try {
      await this.bolt?.processEvent(event);
    } catch (error) {
      // Left unacknowledged, Slack delivers it again; except where a retry cannot help (authorisation).
      if (!(await defaultProcessEventErrorHandler({ error: error as Error, logger: this.log, event })))
        return;
      acknowledged = true;
    }
    if (!acknowledged) return;
    await envelope
      .ack(response)
      .catch((error: unknown) => this.log.warn('could not acknowledge a Socket Mode envelope', error));
  }
}
