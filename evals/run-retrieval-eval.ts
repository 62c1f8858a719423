import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { Retriever, type FusionParameters, type SearchMode } from '../src/retrieval/hybrid-search.js';
import { openRetriever } from '../src/retrieval/open-retriever.js';
import { NavigatorRetriever } from '../src/langchain/navigator-retriever.js';
import { loadDevSet, type DevQuestion } from './dev-set.js';
import { mean, ndcgAt, reciprocalRankAt, recallAt } from './metrics.js';

interface Scores {
  recall5: number;
  mrr10: number;
  ndcg10: number;
}

async function score(
  retriever: Retriever,
  questions: DevQuestion[],
  mode: SearchMode,
): Promise<Scores & { misses: DevQuestion[] }> {
  return scoreRanking(questions, async (query) =>
    (await retriever.search(query, { k: 10, mode })).map((result) => result.entry.id),
  );
}

/** Recall@5, MRR@10 and nDCG@10 of any ranking function over the dev set. */
async function scoreRanking(
  questions: DevQuestion[],
  rank: (query: string) => Promise<string[]>,
): Promise<Scores & { misses: DevQuestion[] }> {
  const recall: number[] = [];
  const reciprocal: number[] = [];
  const ndcg: number[] = [];
  const misses: DevQuestion[] = [];
  for (const question of questions) {
    const ranked = await rank(question.q);
    const relevant = new Set(question.relevant);
    recall.push(recallAt(ranked, relevant, 5));
    reciprocal.push(reciprocalRankAt(ranked, relevant, 10));
    ndcg.push(ndcgAt(ranked, relevant, 10));
    if (reciprocalRankAt(ranked, relevant, 5) === 0) misses.push(question);
  }
  return { recall5: mean(recall), mrr10: mean(reciprocal), ndcg10: mean(ndcg), misses };
}

const format = (value: number) => value.toFixed(3);

function fromLine(value: string | undefined): number {
  if (value === undefined) return 0;
  const line = Number(value);
  if (!Number.isInteger(line) || line < 0) throw new Error(`--from wants a line count, got "${value}"`);
  return line;
}

async function main() {
  const { values } = parseArgs({
    options: { tune: { type: 'boolean' }, misses: { type: 'boolean' }, from: { type: 'string' } },
  });
  const config = loadConfig();
  const opened = await openRetriever(config, { log: (message) => process.stderr.write(`${message}\n`) });
  // --from N scores only the questions from line N + 1 on (e.g. the ones added last).
  const questions = loadDevSet().slice(fromLine(values.from));
  const known = new Set(opened.index.entries.map((entry) => entry.id));
  const unknown = questions.flatMap((question) => question.relevant.filter((id) => !known.has(id)));
  if (unknown.length > 0)
    process.stderr.write(
      `Warning: the dev set names ${unknown.length} unknown id(s): ${[...new Set(unknown)].join(', ')}\n`,
    );

  console.log(
    `Retrieval eval: ${questions.length} questions, ${opened.index.entries.length} entries, ` +
      `embedder ${opened.embedder.id}\n`,
  );
  console.log('| mode    | recall@5 | MRR@10 | nDCG@10 |');
  console.log('|---------|----------|--------|---------|');
  const results: Record<string, Scores & { misses: DevQuestion[] }> = {};
  for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
    results[mode] = await score(opened.retriever, questions, mode);
    const { recall5, mrr10, ndcg10 } = results[mode];
    console.log(
      `| ${mode.padEnd(7)} | ${format(recall5).padEnd(8)} | ` +
        `${format(mrr10).padEnd(6)} | ${format(ndcg10).padEnd(7)} |`,
    );
  }
  // The same hybrid search through the LangChain retriever: the numbers must match the row above.
  const langchain = new NavigatorRetriever({ retriever: opened.retriever, k: 10 });
  const viaLangChain = await scoreRanking(questions, async (query) =>
    (await langchain.invoke(query)).map((document) => document.metadata.id),
  );
  console.log(
    `| ${'langchain'.padEnd(7)} | ${format(viaLangChain.recall5).padEnd(8)} | ` +
      `${format(viaLangChain.mrr10).padEnd(6)} | ${format(viaLangChain.ndcg10).padEnd(7)} |`,
  );
  const hybrid = results.hybrid!;
  const beatsBoth = (['recall5', 'mrr10', 'ndcg10'] as const).every(
    (metric) => hybrid[metric] > results.lexical![metric] && hybrid[metric] > results.vector![metric],
  );
  console.log(`\nHybrid beats both single indexes on every metric: ${beatsBoth ? 'yes' : 'NO'}`);

  if (values.misses) {
    console.log('\nHybrid misses (no relevant entry in the top 5):');
    for (const miss of hybrid.misses) {
      const top = (await opened.retriever.search(miss.q, { k: 3 })).map((result) => result.entry.id);
      console.log(`- ${miss.q}\n    wanted ${miss.relevant.join(', ')}\n    got    ${top.join(', ')}`);
    }
  }

  if (values.tune) {
    // Tune on half the questions and check the choice on the other half, to see overfitting.
    const tuning = questions.filter((_, index) => index % 2 === 0);
    const holdout = questions.filter((_, index) => index % 2 === 1);
    console.log(
      `\nFusion grid, chosen on ${tuning.length} questions, checked on ${holdout.length} held out (nDCG@10):`,
    );
    const grid: { parameters: Partial<FusionParameters>; tuned: Scores; held: Scores }[] = [];
    for (const rrfK of [5, 10, 20, 40, 60]) {
      for (const lexicalWeight of [0.8, 1, 1.25, 1.5, 2]) {
        const retriever = new Retriever(opened.index, opened.embedder, opened.knowledge.vocabulary, {
          ef: config.searchEf,
          rrfK,
          lexicalWeight,
          vectorWeight: 1,
        });
        grid.push({
          parameters: { rrfK, lexicalWeight },
          tuned: await score(retriever, tuning, 'hybrid'),
          held: await score(retriever, holdout, 'hybrid'),
        });
      }
    }
    grid.sort((a, b) => b.tuned.ndcg10 - a.tuned.ndcg10);
    for (const { parameters, tuned, held } of grid.slice(0, 6)) {
      console.log(
        `  rrfK=${parameters.rrfK} lexicalWeight=${parameters.lexicalWeight}: ` +
          `tuning ${format(tuned.ndcg10)}, held out ${format(held.ndcg10)} ` +
          `(recall@5 ${format(held.recall5)})`,
      );
    }
    const heldLexical = await score(opened.retriever, holdout, 'lexical');
    console.log(`  held-out lexical-only nDCG@10 for comparison: ${format(heldLexical.ndcg10)}`);
  }
}

await main();
