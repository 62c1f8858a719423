import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNavigator, loadConfig, type Config } from '../../../src/index.js';
import { projectRoot } from '../../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../../support/shared-embeddings.js';
import {
  startFakeBotConnector,
  type ConnectorCall,
  type FakeBotConnector,
} from './support/fake-bot-connector.js';
import { channelThread, message } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// Durable Teams answers over the real CloudAdapter on loopback: the question is stored as a job
// before the 200, answered from the job in a proactive turn, at most once per activity, retried with
// backoff when the connector fails, and ended with an apology after the last attempt.

/**
 * botbuilder's HTTP pipeline (@azure/core-rest-pipeline) retries a 5xx itself, 3 times: a send fails
 * for the job only after 4 answers of 500 in a row.
 */
const failedSend = Array.from({ length: 4 }, () => ({ status: 500 }));

let config: Config;
let connector: FakeBotConnector;
let server: TeamsTestServer;

beforeAll(async () => {
  config = loadConfig({
    KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
    NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
  });
  connector = await startFakeBotConnector();
  server = await startTeamsServer(config, await createNavigator(config, { answerModel: null }));
});

afterAll(async () => {
  await server?.close();
  await connector?.close();
});

const isMessage = (call: ConnectorCall) => call.activity.type === 'message';
const messagesTo = (activityId: string) =>
  connector.delivered().filter((call) => isMessage(call) && call.replyToId === activityId);

/** The stored job of the activity `activityId`, once it is finished (done or dead). */
async function finishedJob(activityId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await server.store.sql.query<{ status: string; attempts: number }>(
      "SELECT status, attempts FROM jobs WHERE payload->>'activityId' = $1",
      [activityId],
    );
    if (row && (row.status === 'done' || row.status === 'dead')) return row;
    if (Date.now() > deadline) throw new Error(`the job did not finish: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a Teams question stored as a job', () => {
  it('is answered once when the Bot Framework delivers the activity twice', async () => {
    const asked = message(
      channelThread(connector.serviceUrl, '1700000000301'),
      'Who has made benefits proactive?',
      {
        mention: true,
      },
    );
    const statuses = await Promise.all([server.post(asked), server.post(asked)]);
    expect(statuses.map((response) => response.status)).toEqual([200, 200]);
    expect((await server.post(asked)).status).toBe(200);
    expect(await finishedJob(asked.id)).toMatchObject({ status: 'done', attempts: 1 });
    const [{ count }] = (await server.store.sql.query<{ count: number }>(
      "SELECT count(*)::integer AS count FROM jobs WHERE payload->>'activityId' = $1",
      [asked.id],
    )) as [{ count: number }];
    expect(count).toBe(1);
    expect(messagesTo(asked.id)).toHaveLength(1);
  });

  it('is retried when its proactive send fails, and delivered once', async () => {
    const asked = message(
      channelThread(connector.serviceUrl, '1700000000302'),
      'Which method fits a cross-ministry climate goal?',
      {
        mention: true,
      },
    );
    const start = connector.calls.length;
    connector.failNextMessages(failedSend);
    expect((await server.post(asked)).status).toBe(200);
    const job = await finishedJob(asked.id);
    const attempts = connector.calls
      .slice(start)
      .filter((call) => isMessage(call) && call.replyToId === asked.id);
    expect(attempts.map((call) => call.status)).toEqual([500, 500, 500, 500, 201]);
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    expect(messagesTo(asked.id)).toHaveLength(1);
  }, 30_000);

  it('ends with a short apology after the last attempt fails', async () => {
    const asked = message(
      channelThread(connector.serviceUrl, '1700000000303'),
      'Who has run participatory budgeting?',
      {
        mention: true,
      },
    );
    connector.failNextMessages([...failedSend, ...failedSend, ...failedSend]);
    expect((await server.post(asked)).status).toBe(200);
    expect(await finishedJob(asked.id)).toMatchObject({ status: 'dead', attempts: 3 });
    await connector.waitFor(() => messagesTo(asked.id).length > 0);
    const [apology, ...rest] = messagesTo(asked.id);
    expect(rest).toHaveLength(0);
    expect(apology!.activity.text).toMatch(/^Sorry, something went wrong while I was preparing this answer/);
  }, 90_000);
});
