import type { Express } from 'express';
import type { Config, Navigator, NavigatorStore } from '../src/index.js';
import type { DurableJobs } from './durable-jobs.js';

/** What every channel adapter gets from the host. */
export interface ChannelContext {
  config: Config;
  navigator: Navigator;
  /** State shared by every replica and kept across restarts. */
  store: NavigatorStore;
  /** Accepted events stored as jobs before the acknowledgement, answered by any replica. */
  jobs: DurableJobs;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;
}

/**
 * A channel plugged into the shared HTTP server. `mount` adds its routes; the host adds no global
 * body parser, because Slack verifies signatures on the raw body: parse bodies per route.
 */
export interface Channel {
  name: string;
  mount(app: Express): void;
  /** For connections the channel opens itself (e.g. Slack Socket Mode). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
