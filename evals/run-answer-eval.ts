import { parseArgs } from 'node:util';
import { createNavigator } from '../src/assistant/navigator.js';
import { loadConfig } from '../src/config.js';
import { judgeAnswer, loadAnswerDevSet } from './answer-dev-set.js';
import { loadDevSet } from './dev-set.js';

// Answer-level checks on the dev set, offline composer: grounding, citation validity, link
// safety and peer diversity.
// --questions-from N / --messages-from N score only the items after the first N (e.g. the newest).
const { values: flags } = parseArgs({
  options: {
    misses: { type: 'boolean' },
    'questions-from': { type: 'string', default: '0' },
    'messages-from': { type: 'string', default: '0' },
  },
});
const skip = (name: 'questions-from' | 'messages-from') => {
  const count = Number(flags[name]);
  if (!Number.isInteger(count) || count < 0) throw new Error(`--${name} wants a count, got "${flags[name]}"`);
  return count;
};
const config = loadConfig();
const navigator = await createNavigator(config, {
  answerModel: null,
  log: (message) => process.stderr.write(`${message}\n`),
});
const questions = loadDevSet().slice(skip('questions-from'));

let answered = 0;
let citesRelevant = 0;
let validCitations = 0;
let linksInsideCitations = 0;
let peerAnswers = 0;
let diversePeers = 0;
const intents = new Map<string, number>();
for (const question of questions) {
  const answer = await navigator.ask({ text: question.q });
  intents.set(answer.intent, (intents.get(answer.intent) ?? 0) + 1);
  if (answer.status !== 'answered') continue;
  answered += 1;
  const cited = new Set(answer.citations.map((citation) => citation.id));
  if (question.relevant.some((id) => cited.has(id))) citesRelevant += 1;
  const markers = [...answer.text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
  if (markers.length > 0 && markers.every((marker) => marker >= 1 && marker <= answer.citations.length))
    validCitations += 1;
  const allowed = new Set(answer.citations.map((citation) => citation.url));
  const links = answer.text.match(/https?:\/\/[^\s)\]]+/g) ?? [];
  if (links.every((link) => allowed.has(link))) linksInsideCitations += 1;
  if (answer.peerCases.length >= 2) {
    peerAnswers += 1;
    if (new Set(answer.peerCases.map((peer) => peer.country)).size >= 2) diversePeers += 1;
  }
}

const share = (count: number, total: number) =>
  `${((100 * count) / Math.max(total, 1)).toFixed(1)}% (${count}/${total})`;
console.log(`\nAnswer eval (offline composer): ${questions.length} dev-set questions\n`);
console.log('| check | result |');
console.log('|---|---|');
console.log(`| answered (not no_match) | ${share(answered, questions.length)} |`);
console.log(`| answered and cites a relevant entry | ${share(citesRelevant, answered)} |`);
console.log(`| every [n] marker points at a citation | ${share(validCitations, answered)} |`);
console.log(`| no link outside the cited entries | ${share(linksInsideCitations, answered)} |`);
console.log(
  `| peer matches from 2+ countries (answers with 2+ peers) | ${share(diversePeers, peerAnswers)} |`,
);
console.log(`\nIntents detected: ${[...intents].map(([intent, count]) => `${intent} ${count}`).join(', ')}`);

// The answer dev set: realistic messages (languages, noise, several asks), judged per kind.
const messages = loadAnswerDevSet().slice(skip('messages-from'));
const showMisses = flags.misses === true;
const byKind = new Map<string, { passed: number; total: number }>();
const latencies: number[] = [];
for (const message of messages) {
  const started = performance.now();
  const answer = await navigator.ask({ text: message.message });
  latencies.push(performance.now() - started);
  const problems = judgeAnswer(message, answer);
  const kind = message.noise ? `noisy: ${message.noise}` : message.kind;
  const tally = byKind.get(kind) ?? { passed: 0, total: 0 };
  tally.total += 1;
  if (problems.length === 0) tally.passed += 1;
  else if (showMisses)
    console.log(`MISS [${kind}] ${message.message.slice(0, 100)} — ${problems.join('; ')}`);
  byKind.set(kind, tally);
}
const overall = [...byKind.values()].reduce((sum, tally) => ({
  passed: sum.passed + tally.passed,
  total: sum.total + tally.total,
}));
console.log(`\nAnswer dev set (offline): ${messages.length} messages\n`);
console.log('| kind | passed |');
console.log('|---|---|');
for (const [kind, tally] of [...byKind].sort((a, b) => a[0].localeCompare(b[0])))
  console.log(`| ${kind} | ${share(tally.passed, tally.total)} |`);
console.log(`| **overall** | **${share(overall.passed, overall.total)}** |`);
latencies.sort((a, b) => a - b);
const p50 = latencies[Math.floor(latencies.length / 2)]!.toFixed(1);
const p95 = latencies[Math.floor(latencies.length * 0.95)]!.toFixed(1);
console.log(`\nask latency over the set: p50 ${p50} ms, p95 ${p95} ms (first calls include warm-up)`);
