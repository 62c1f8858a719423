import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNavigatorStore } from '../../src/index.js';
import { copyFixtureKnowledge, temporaryDataDir } from '../support/knowledge-copy.js';
import { runNavigatorCli } from '../support/run-cli.js';

// The curators' commands on the embedded store, run as the installed CLI.

const knowledgeDir = copyFixtureKnowledge();
const dataDir = temporaryDataDir();
const navigator = (args: string[]) =>
  runNavigatorCli(args, { KNOWLEDGE_DIR: knowledgeDir, NAVIGATOR_DATA_DIR: dataDir });
const submissionIds: string[] = [];

beforeAll(async () => {
  const store = await openNavigatorStore({ dataDir });
  for (const title of ['Seoul listening sessions', 'A city that listens too little'])
    submissionIds.push(
      await store.caseSubmissions
        .submit(
          {
            title,
            country: 'korea',
            organisation: 'Seoul Metropolitan Government',
            whatWasDone: 'The city holds listening sessions with residents. They feed policy.',
            link: 'https://example.org/seoul',
          },
          { channel: 'slack', user: 'U0ALICE' },
        )
        .then((result) => (result.ok ? result.submissionId : 'invalid')),
    );
  const asked = { channel: 'slack', intent: 'question' as const, citedIds: [], latencyMs: 5 };
  await store.questionLog.record({ ...asked, status: 'no_match', topic: 'Ferry timetables' });
  await store.questionLog.record({ ...asked, status: 'no_match', topic: 'ferry timetables' });
  await store.questionLog.record({ ...asked, status: 'answered', topic: 'Participatory budgeting' });
  await store.feedback.record({
    channel: 'teams',
    rating: 'not_helpful',
    question: 'Ferry timetables',
    comment: 'Nothing about ferries.',
  });
  await store.close();
}, 120_000);

describe('navigator review, gaps and feedback', () => {
  it('lists the submissions to review and shows one', async () => {
    const listed = await navigator(['review', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Seoul listening sessions');
    expect(listed.stdout).toContain(submissionIds[0]);
    const shown = await navigator(['review', 'show', submissionIds[0]!]);
    expect(shown.stdout).toContain('Organisation: Seoul Metropolitan Government');
  });

  it('accepts a submission as a draft case that validates, and marks it accepted', async () => {
    const accepted = await navigator([
      'review',
      'accept',
      submissionIds[0]!,
      '--level',
      'local',
      '--organisation-type',
      'municipality',
      '--year',
      '2012',
      '--sectors',
      'democracy-participation',
      '--lifecycle-stage',
      'implementing-projects',
      '--facets',
      'adaptive',
      '--facet-reason',
      'Residents shape the agenda.',
      '--methods',
      'deliberation',
      '--by',
      'curator-ana',
    ]);
    expect(accepted.stderr).toBe('');
    expect(accepted.stdout).toContain(`Accepted ${submissionIds[0]} as seoul-listening-sessions`);
    const file = join(knowledgeDir, 'cases', 'seoul-listening-sessions.md');
    expect(readFileSync(file, 'utf8')).toContain('country: Korea');
    const again = await navigator(['review', 'accept', submissionIds[0]!]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('accepted already');
    expect((await navigator(['review', 'list'])).stdout).not.toContain('Seoul listening sessions');
  });

  it('writes nothing and keeps the submission to review when the draft does not validate', async () => {
    const refused = await navigator([
      'review',
      'accept',
      submissionIds[1]!,
      ...[
        '--level',
        'galactic',
        '--organisation-type',
        'municipality',
        '--sectors',
        'democracy-participation',
      ],
      ...['--lifecycle-stage', 'implementing-projects', '--facets', 'adaptive', '--facet-reason', 'x'],
      ...['--methods', 'deliberation'],
    ]);
    expect(refused.code).toBe(1);
    expect(existsSync(join(knowledgeDir, 'cases', 'a-city-that-listens-too-little.md'))).toBe(false);
    expect((await navigator(['review', 'list'])).stdout).toContain('A city that listens too little');
    const rejected = await navigator(['review', 'reject', submissionIds[1]!, '--note', 'out of scope']);
    expect(rejected.stdout).toContain('Rejected');
    expect((await navigator(['review', 'list'])).stdout).toContain('Nothing to review.');
  });

  it('reports gaps by topic with counts, and the feedback', async () => {
    const gaps = await navigator(['gaps', '--since', '1d', '--json']);
    const [ferries, ...others] = JSON.parse(gaps.stdout) as { topic: string; total: number }[];
    expect(ferries).toMatchObject({ noMatch: 2, notHelpful: 1, total: 3 });
    expect(others.map((gap) => gap.topic.toLowerCase())).not.toContain('participatory budgeting');
    const feedback = await navigator(['feedback', '--since', '2000-01-01']);
    expect(feedback.stdout).toContain('1 👎');
    expect(feedback.stdout).toContain('Nothing about ferries.');
    expect((await navigator(['gaps', '--since', 'yesterday'])).code).toBe(2);
  });
});
