import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { copyFixtureKnowledge } from '../support/knowledge-copy.js';
import { runNavigatorCli } from '../support/run-cli.js';

const navigator = (args: string[], knowledgeDir: string) =>
  runNavigatorCli(args, { KNOWLEDGE_DIR: knowledgeDir });

describe('navigator kb new', () => {
  it('scaffolds a case from flags that validates, with sections marked to write', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const result = await navigator(
      [
        'kb',
        'new',
        'case',
        '--title',
        'Seoul listening sessions',
        '--summary',
        'The city holds listening sessions with residents. They feed policy.',
        '--country',
        'korea',
        '--level',
        'local',
        '--organisation',
        'Seoul Metropolitan Government',
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
        '--sources',
        'https://example.org/seoul',
      ],
      knowledgeDir,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Created cases/seoul-listening-sessions.md');
    const knowledge = await loadKnowledge(knowledgeDir);
    // "korea" was resolved to the vocabulary's country name.
    expect(readFileSync(join(knowledgeDir, 'cases', 'seoul-listening-sessions.md'), 'utf8')).toContain(
      'country: Korea',
    );
    expect(knowledge.problems).toEqual([]);
    expect(knowledge.entries.map((entry) => entry.id)).toContain('seoul-listening-sessions');
    expect(readFileSync(join(knowledgeDir, 'cases', 'seoul-listening-sessions.md'), 'utf8')).toContain(
      '## Lessons\n_To be written by a curator from the sources._',
    );
  });

  it('writes nothing and explains why when a value is invalid', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const result = await navigator(
      [
        'kb',
        'new',
        'toolkit',
        '--title',
        'Scenario cards',
        '--summary',
        'Cards for scenario workshops. They help teams think ahead.',
        '--publisher',
        'Example',
        '--toolkit-type',
        'cards',
        '--disciplines',
        'foresight',
        '--facets',
        'anticipatory',
        '--lifecycle-stages',
        'identifying-problems',
        '--methods',
        'scenarios',
        '--url',
        'https://example.org/cards',
      ],
      knowledgeDir,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('toolkit_type: "cards" is not in the vocabulary');
    expect(existsSync(join(knowledgeDir, 'toolkits', 'scenario-cards.md'))).toBe(false);
  });

  it('lists the missing flags when it cannot ask', async () => {
    const result = await navigator(['kb', 'new', 'skill', '--title', 'Facilitation'], copyFixtureKnowledge());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Missing: --summary, --kind, --sources');
  });
});

describe('navigator kb import', () => {
  const csv = [
    'Innovation name,Country,Year,Description,URL,Level of government,Organisation,Methods,Facets',
    '"Open budget days","France",2019,' +
      '"Residents vote on projects. The city funds the winners. It runs every year.",' +
      'https://example.org/obd,Local,City of Lyon,Participatory budgeting,adaptive',
    '"Atlantis registry",Atlantis,2020,' +
      '"A national registry of public datasets. It is new and open to all.",' +
      'https://example.org/atl,National,Registry office,open-data,enhancement-oriented',
    '"No link case",France,2018,' +
      '"Something was done about street lighting. It worked for the residents.",' +
      ',Local,City of Nice,open-data,adaptive',
    '"City budget vote",France,2014,' +
      '"Duplicate of an existing entry in the fixtures. Same id as the existing case.",' +
      'https://example.org/dup,Local,City,participatory-budgeting,adaptive',
  ].join('\n');
  const sets = [
    '--set',
    'organisation_type=municipality',
    '--set',
    'sectors=democracy-participation',
    '--set',
    'lifecycle_stage=implementing-projects',
    '--set',
    'facet_reason=Imported; to be reviewed.',
  ];

  it('writes valid rows, rejects the others with reasons, and never overwrites without --force', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const file = join(knowledgeDir, 'export.csv');
    writeFileSync(file, csv);
    const result = await navigator(
      ['kb', 'import', file, '--type', 'case', '--map', 'Innovation name=title', ...sets],
      knowledgeDir,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Imported 1 of 4 row(s)');
    expect(result.stdout).toContain('+ cases/open-budget-days.md');
    expect(result.stdout).toMatch(
      /row 3 \(Atlantis registry\):\n\s+- country: "Atlantis" is not in the vocabulary/,
    );
    expect(result.stdout).toMatch(
      /row 4 \(No link case\):\n\s+- sources: \[\] needs at least one source URL/,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        /row 5 \(City budget vote\):\n\s+/.source +
          /- id: cases\/city-budget-vote.md already exists — pass --force to overwrite it/.source,
      ),
    );

    const knowledge = await loadKnowledge(knowledgeDir);
    expect(knowledge.problems).toEqual([]);
    const imported = knowledge.entries.find((entry) => entry.id === 'open-budget-days');
    expect(imported).toMatchObject({
      country: 'France',
      level: 'local',
      year: 2019,
      methods: ['participatory-budgeting'],
      summary: 'Residents vote on projects. The city funds the winners.',
    });

    const original = readFileSync(join(knowledgeDir, 'cases', 'city-budget-vote.md'), 'utf8');
    const forced = await navigator(
      ['kb', 'import', file, '--type', 'case', '--map', 'Innovation name=title', '--force', ...sets],
      knowledgeDir,
    );
    expect(forced.stdout).toContain('+ cases/city-budget-vote.md');
    expect(readFileSync(join(knowledgeDir, 'cases', 'city-budget-vote.md'), 'utf8')).not.toBe(original);
  });

  it('reads JSON exports too, and --dry-run writes nothing', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const file = join(knowledgeDir, 'toolkits.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          name: 'Futures cards',
          publisher: 'Example Lab',
          year: 2020,
          description: 'Cards for running futures workshops with a team. Printable and free.',
          url: 'https://example.org/fc',
          type: 'method-cards',
          disciplines: 'foresight',
          facets: 'anticipatory',
          'lifecycle stages': 'identifying-problems; generating-ideas',
          methods: 'Scenario planning',
        },
      ]),
    );
    const result = await navigator(['kb', 'import', file, '--type', 'toolkit', '--dry-run'], knowledgeDir);
    expect(result.stdout).toContain('Would import 1 of 1 row(s)');
    expect(existsSync(join(knowledgeDir, 'toolkits', 'futures-cards.md'))).toBe(false);
    await navigator(['kb', 'import', file, '--type', 'toolkit'], knowledgeDir);
    const toolkit = (await loadKnowledge(knowledgeDir)).entries.find((entry) => entry.id === 'futures-cards');
    expect(toolkit).toMatchObject({
      lifecycle_stages: ['identifying-problems', 'generating-ideas'],
      methods: ['scenarios'],
      toolkit_type: 'method-cards',
    });
  });
});

describe('navigator kb stats', () => {
  it('counts entries and lists the gaps', async () => {
    const result = await navigator(['kb', 'stats'], copyFixtureKnowledge());
    expect(result.stdout).toMatch(/case\s+3/);
    expect(result.stdout).toMatch(/anticipatory\s+1 \/ 0/);
    expect(result.stdout).toContain('generating-ideas: only 0 cases (aim for 5+)');
  });
});
