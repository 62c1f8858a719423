import { createNavigator } from '../../src/assistant/navigator.js';
import type { Config } from '../../src/config.js';
import { loadAnswerDevSet } from '../answer-dev-set.js';
import { percentile } from '../metrics.js';

/**
 * Warm `ask` latency, offline, on the real knowledge base: every answer dev-set message once to
 * warm up, then three timed rounds. The whole pipeline, from normalising to finalising.
 */
export async function measureAskLatency(config: Config): Promise<string[]> {
  const navigator = await createNavigator(config, { answerModel: null, messageReader: null });
  const messages = loadAnswerDevSet().map((message) => message.message);
  for (const message of messages) await navigator.ask({ text: message });
  const times: number[] = [];
  for (let round = 0; round < 3; round += 1)
    for (const message of messages) {
      const started = performance.now();
      await navigator.ask({ text: message });
      times.push(performance.now() - started);
    }
  const cells = [0.5, 0.95, 0.99, 1].map((share) => `${percentile(times, share).toFixed(1)} ms`);
  return [
    '| asks | p50 | p95 | p99 | max |',
    '|------|-----|-----|-----|-----|',
    `| ${times.length} | ${cells.join(' | ')} |`,
  ];
}
