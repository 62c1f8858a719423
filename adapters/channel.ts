import type { Express } from 'express';
import type { Config, Navigator, NavigatorStore } from '../src/index.js';

/** What every channel adapter gets from the host. */
export interface ChannelContext {
  config: Config;
  navigator: Navigator;
  /** The shared store; the web channel needs it (sessions, conversations, the review queue). */
  store?: NavigatorStore;
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
