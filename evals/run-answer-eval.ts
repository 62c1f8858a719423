import { createNavigator } from '../src/assistant/navigator.js';
import { loadConfig } from '../src/config.js';
import { loadDevSet } from './dev-set.js';

// Answer-level checks on the dev set, offline composer: grounding, citation validity, link
// safety and peer diversity.
const config = loadConfig();
const navigator = await createNavigator(config, {
  answerModel: null,
  log: (message) => process.stderr.write(`${message}\n`),
});
const questions = loadDevSet();

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
