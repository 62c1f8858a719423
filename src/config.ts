import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { curatorEnvironment, curatorSettings, type CuratorSettings } from './curator-config.js';
import { emptyToUndefined, optionalString } from './environment-values.js';
import { serverEnvironment, serverSettings, type ServerSettings } from './server-config.js';
import { oidcProblems, webEnvironment, webSettings, type WebSettings } from './web-config.js';
import { NavigatorError } from './errors.js';
import { projectRoot } from './paths.js';

/** A PostgreSQL connection URL with a host (or a `host=` socket directory); the value is never echoed. */
function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const postgres = url.protocol === 'postgres:' || url.protocol === 'postgresql:';
    return postgres && (url.hostname !== '' || url.searchParams.has('host'));
  } catch {
    return false;
  }
}

const environmentSchema = z.object({
  ...curatorEnvironment,
  ...serverEnvironment,
  ...webEnvironment,
  KNOWLEDGE_DIR: optionalString,
  NAVIGATOR_DATA_DIR: optionalString,
  NAVIGATOR_EMBEDDER: z.preprocess(
    emptyToUndefined,
    z.enum(['glove', 'openai'], { message: 'must be "glove" (offline, default) or "openai"' }).optional(),
  ),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ message: 'must be a URL such as https://api.openai.com/v1 or http://localhost:8000/v1' })
      .optional(),
  ),
  OPENAI_MODEL: optionalString,
  OPENAI_EMBEDDING_MODEL: optionalString,
  OPENAI_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(100).max(120_000).optional(),
  ),
  SEARCH_EF: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a whole number' }).int().min(10).max(2000).optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().startsWith('xoxb-', { message: 'must be a bot token starting with xoxb-' }).optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().startsWith('xapp-', { message: 'must be an app-level token starting with xapp-' }).optional(),
  ),
  SLACK_API_URL: z.preprocess(
    emptyToUndefined,
    z.url({ message: 'must be a URL such as https://slack.com/api/' }).optional(),
  ),
  NAVIGATOR_SLACK_THREAD_FOLLOW_UPS: z.preprocess(
    emptyToUndefined,
    z.enum(['true', 'false'], { message: 'must be "true" or "false" (default)' }).optional(),
  ),
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TYPE: z.preprocess(
    emptyToUndefined,
    z
      .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
        message: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
      })
      .optional(),
  ),
  MICROSOFT_APP_TENANT_ID: optionalString,
  BOTFRAMEWORK_OPENID_METADATA_URL: z.preprocess(
    emptyToUndefined,
    z.url({ message: 'must be a URL' }).optional(),
  ),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(isPostgresUrl, {
        message:
          'must be a PostgreSQL URL such as postgres://navigator:password@db.internal:5432/navigator ' +
          '(or unset it to use the embedded store in NAVIGATOR_DATA_DIR)',
      })
      .optional(),
  ),
  NAVIGATOR_QUESTION_LOG_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a whole number of days such as 90' })
      .int({ message: 'must be a whole number of days such as 90' })
      .min(1, { message: 'must be at least 1 day' })
      .max(3650, { message: 'must be at most 3650 days (ten years)' })
      .optional(),
  ),
  NAVIGATOR_JOB_LEASE_MS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a number of milliseconds such as 60000' })
      .int({ message: 'must be a whole number of milliseconds' })
      .min(1_000, { message: 'must be at least 1000 ms' })
      .max(3_600_000, { message: 'must be at most 3600000 ms (an hour)' })
      .optional(),
  ),
  NAVIGATOR_DIGEST_CHECK_MS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a number of milliseconds such as 600000' })
      .int({ message: 'must be a whole number of milliseconds' })
      .min(1_000, { message: 'must be at least 1000 ms' })
      .max(86_400_000, { message: 'must be at most 86400000 ms (a day)' })
      .optional(),
  ),
  NAVIGATOR_HASH_SALT: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .min(16, {
        message: 'must be at least 16 characters (or unset it: the store then generates one and keeps it)',
      })
      .optional(),
  ),
  NAVIGATOR_USER_ASKS_PER_MINUTE: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a whole number such as 20' }).int().min(1).max(10_000).optional(),
  ),
  NAVIGATOR_USER_ASKS_PER_DAY: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a whole number such as 200' }).int().min(1).max(1_000_000).optional(),
  ),
  NAVIGATOR_CHANNEL_ASKS_PER_MINUTE: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a whole number such as 60' }).int().min(1).max(100_000).optional(),
  ),
  NAVIGATOR_LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z
      .enum(['debug', 'info', 'warn', 'error', 'silent'], {
        message: 'must be debug, info, warn, error or silent',
      })
      .optional(),
  ),
});

export interface Config {
  knowledgeDir: string;
  dataDir: string;
  embedder: 'glove' | 'openai';
  openai: {
    apiKey?: string;
    baseURL?: string;
    model: string;
    embeddingModel: string;
    timeoutMs: number;
  };
  /** HNSW search depth; the library default (10) loses a quarter of the true neighbours. */
  searchEf: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** The shared state store: PostgreSQL when `databaseUrl` is set, else embedded in the data dir. */
  store: {
    databaseUrl?: string;
    /** Days the question log keeps an entry before purging it. */
    questionLogDays: number;
    /** Salt for hashing user ids; absent means the store generates one and keeps it. */
    hashSalt?: string;
    /** How long a replica holds a job it works on; a crashed replica's job is reclaimed after this. */
    jobLeaseMs: number;
    /** How often each replica looks for due knowledge digests. */
    digestCheckMs: number;
  };
  server: ServerSettings;
  /** Questions accepted in Slack and Teams per person (a minute, a day) and per channel (a minute). */
  askLimits: { userPerMinute: number; userPerDay: number; channelPerMinute: number };
  /** The web chat at / and the curator console at /curate. */
  web: WebSettings;
  /** "Ask a curator": the curator channels questions are handed to. */
  curators: CuratorSettings;
  /** Present when Slack is configured (signing secret and bot token). */
  slack?: {
    signingSecret: string;
    botToken: string;
    appToken?: string;
    apiUrl?: string;
    /** NAVIGATOR_SLACK_THREAD_FOLLOW_UPS: answer messages without a mention in threads it answered. */
    threadFollowUps: boolean;
  };
  /** Bot Framework settings; appId absent means local development without authentication. */
  teams: {
    appId?: string;
    appPassword?: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    tenantId?: string;
    openIdMetadataUrl?: string;
  };
}

/** Reads and validates the environment once; reports every bad variable in one error. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
    throw new NavigatorError(
      'config_invalid',
      `The environment has ${lines.length} invalid variable(s):\n${lines.join('\n')}\n` +
        'Fix them in your shell or .env (see .env.example).',
    );
  }
  const values = parsed.data;
  const problems: string[] = [];
  if (values.SLACK_BOT_TOKEN && !values.SLACK_SIGNING_SECRET)
    problems.push(
      'SLACK_SIGNING_SECRET: is empty but SLACK_BOT_TOKEN is set; ' +
        "copy the signing secret from the Slack app's Basic Information page " +
        '(requests cannot be verified without it)',
    );
  if (values.SLACK_SIGNING_SECRET && !values.SLACK_BOT_TOKEN)
    problems.push(
      'SLACK_BOT_TOKEN: is missing but SLACK_SIGNING_SECRET is set; install the app and copy its xoxb- token',
    );
  if (values.SLACK_APP_TOKEN && !(values.SLACK_SIGNING_SECRET && values.SLACK_BOT_TOKEN))
    problems.push('SLACK_APP_TOKEN: Socket Mode also needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN');
  if ((values.MICROSOFT_APP_PASSWORD || values.MICROSOFT_APP_TENANT_ID) && !values.MICROSOFT_APP_ID)
    problems.push(
      'MICROSOFT_APP_ID: is missing but other MICROSOFT_APP_* variables are set; ' +
        "copy the bot's app id from Azure",
    );
  if (
    values.MICROSOFT_APP_TYPE === 'SingleTenant' &&
    values.MICROSOFT_APP_ID &&
    !values.MICROSOFT_APP_TENANT_ID
  )
    problems.push('MICROSOFT_APP_TENANT_ID: is required when MICROSOFT_APP_TYPE is SingleTenant');
  problems.push(...oidcProblems(values));
  if (problems.length > 0) {
    throw new NavigatorError(
      'config_invalid',
      `The environment has ${problems.length} invalid variable(s):\n` +
        `${problems.map((problem) => `  ${problem}`).join('\n')}\n` +
        'Fix them in your shell or .env (see .env.example).',
    );
  }
  const root = projectRoot();
  // Defaults live in the project; a path the user typed is relative to where they typed it.
  const fromUser = (path: string) => (isAbsolute(path) ? path : resolve(process.cwd(), path));
  const embedder = values.NAVIGATOR_EMBEDDER ?? 'glove';
  if (embedder === 'openai' && !values.OPENAI_API_KEY && !values.OPENAI_BASE_URL) {
    throw new NavigatorError(
      'config_invalid',
      'The environment has 1 invalid variable(s):\n' +
        '  NAVIGATOR_EMBEDDER: "openai" needs OPENAI_API_KEY ' +
        '(or OPENAI_BASE_URL for a self-hosted server); ' +
        'set one, or unset NAVIGATOR_EMBEDDER to use the offline embedder.',
    );
  }
  return {
    knowledgeDir: values.KNOWLEDGE_DIR ? fromUser(values.KNOWLEDGE_DIR) : resolve(root, 'knowledge'),
    dataDir: values.NAVIGATOR_DATA_DIR ? fromUser(values.NAVIGATOR_DATA_DIR) : resolve(root, '.navigator'),
    embedder,
    openai: {
      apiKey: values.OPENAI_API_KEY,
      baseURL: values.OPENAI_BASE_URL,
      model: values.OPENAI_MODEL ?? 'gpt-4o-mini',
      embeddingModel: values.OPENAI_EMBEDDING_MODEL ?? 'text-embedding-3-small',
      timeoutMs: values.OPENAI_TIMEOUT_MS ?? 8_000,
    },
    searchEf: values.SEARCH_EF ?? 200,
    logLevel: values.NAVIGATOR_LOG_LEVEL ?? 'info',
    store: {
      databaseUrl: values.DATABASE_URL,
      questionLogDays: values.NAVIGATOR_QUESTION_LOG_DAYS ?? 90,
      hashSalt: values.NAVIGATOR_HASH_SALT,
      jobLeaseMs: values.NAVIGATOR_JOB_LEASE_MS ?? 60_000,
      digestCheckMs: values.NAVIGATOR_DIGEST_CHECK_MS ?? 600_000,
    },
    server: serverSettings(values),
    web: webSettings(values),
    askLimits: {
      userPerMinute: values.NAVIGATOR_USER_ASKS_PER_MINUTE ?? 20,
      userPerDay: values.NAVIGATOR_USER_ASKS_PER_DAY ?? 200,
      channelPerMinute: values.NAVIGATOR_CHANNEL_ASKS_PER_MINUTE ?? 60,
    },
    curators: curatorSettings(values),
    ...(values.SLACK_SIGNING_SECRET && values.SLACK_BOT_TOKEN
      ? {
          slack: {
            signingSecret: values.SLACK_SIGNING_SECRET,
            botToken: values.SLACK_BOT_TOKEN,
            appToken: values.SLACK_APP_TOKEN,
            apiUrl: values.SLACK_API_URL,
            threadFollowUps: values.NAVIGATOR_SLACK_THREAD_FOLLOW_UPS === 'true',
          },
        }
      : {}),
    teams: {
      appId: values.MICROSOFT_APP_ID,
      appPassword: values.MICROSOFT_APP_PASSWORD,
      appType: values.MICROSOFT_APP_TYPE ?? 'MultiTenant',
      tenantId: values.MICROSOFT_APP_TENANT_ID,
      openIdMetadataUrl: values.BOTFRAMEWORK_OPENID_METADATA_URL,
    },
  };
}
