import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { loadVocabulary } from '../../src/knowledge/vocabulary.js';
import { copyFixtureKnowledge, fixtureKnowledgeDir, writeEntry } from '../support/knowledge-copy.js';

describe('loadKnowledge', () => {
  it('loads the valid fixture knowledge base without problems', async () => {
    const knowledge = await loadKnowledge(fixtureKnowledgeDir);
    expect(knowledge.problems.map(formatProblem)).toEqual([]);
    expect(knowledge.entries.map((entry) => entry.id).sort()).toEqual([
      'anticipatory',
      'budget-vote-handbook',
      'city-budget-vote',
      'national-benefit-offer',
      'regional-foresight',
      'skill-iteration',
    ]);
    const budget = knowledge.entries.find((entry) => entry.id === 'city-budget-vote');
    expect(budget?.sections.map((section) => section.heading)).toContain('What makes it innovative');
  });

  it(
    'reports every problem as file:line: field: problem — fix, ' + 'skips bad files and keeps the rest',
    async () => {
      const directory = copyFixtureKnowledge();
      const original = readFileSync(join(directory, 'cases', 'city-budget-vote.md'), 'utf8');
      writeFileSync(
        join(directory, 'cases', 'city-budget-vote.md'),
        original
          .replace('facets: [adaptive]', 'facets: [adaptiv]')
          .replace('level: local', 'level: city')
          .replace(/^title: .*\n/m, ''),
      );
      writeEntry(
        directory,
        'cases/bad-country.md',
        readFileSync(join(directory, 'cases', 'national-benefit-offer.md'), 'utf8')
          .replace('id: national-benefit-offer', 'id: bad-country')
          .replace('country: Estonia', 'country: Estnia')
          .replace('methods: [proactive-services, data-sharing]', 'methods: [proactive-service]'),
      );
      writeEntry(
        directory,
        'cases/broken-yaml.md',
        '---\nid: broken-yaml\ntype: case\ntitle: [unclosed\n---\n## Body\ntext\n',
      );
      writeEntry(
        directory,
        'toolkits/no-sections.md',
        readFileSync(join(directory, 'toolkits', 'budget-vote-handbook.md'), 'utf8')
          .replace('id: budget-vote-handbook', 'id: no-sections')
          .replace(/## When to use it[\s\S]*$/, ''),
      );

      const knowledge = await loadKnowledge(directory);
      const lines = knowledge.problems.map(formatProblem);

      expect(lines).toContain(
        'cases/city-budget-vote.md:8: level: has "city" — ' +
          'must be one of national, regional, local, international',
      );
      expect(
        lines.some((line) =>
          line.startsWith('cases/city-budget-vote.md:14: facets.0: has "adaptiv" — must be one of'),
        ),
      ).toBe(true);
      expect(
        lines.some((line) => /^cases\/city-budget-vote\.md:\d+: title: is missing — add "title:"/.test(line)),
      ).toBe(true);
      expect(lines).toContain(
        'cases/bad-country.md:8: country: "Estnia" is not in the vocabulary — did you mean "Estonia"? ' +
          'use a key from countries in knowledge/vocabulary.yaml, or add it there',
      );
      expect(
        lines.some((line) =>
          line.startsWith(
            'cases/bad-country.md:17: methods.0: "proactive-service" is not in the vocabulary — ' +
              'did you mean "proactive-services"?',
          ),
        ),
      ).toBe(true);
      expect(
        lines.some((line) =>
          line.startsWith('cases/broken-yaml.md:4: front matter: the front matter is not valid YAML'),
        ),
      ).toBe(true);
      expect(
        lines.some(
          (line) =>
            line.startsWith('toolkits/no-sections.md:') && line.includes('"## When to use it" is missing'),
        ),
      ).toBe(true);

      // The broken files are skipped; the valid ones still load.
      const ids = knowledge.entries.map((entry) => entry.id);
      expect(ids).not.toContain('city-budget-vote');
      expect(ids).not.toContain('bad-country');
      expect(ids).toContain('national-benefit-offer');
      expect(ids).toContain('budget-vote-handbook');
    },
  );

  it('refuses a country group whose member is not a country, naming the file, field and fix', async () => {
    const directory = copyFixtureKnowledge();
    const path = join(directory, 'vocabulary.yaml');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        /^levels:/m,
        'country_groups:\n  Nordic countries: { countries: [Denmark, Atlantis] }\n\nlevels:',
      ),
    );
    await expect(loadVocabulary(directory)).rejects.toThrow(
      `${path}: country_groups.Nordic countries.countries: "Atlantis" is not a country — ` +
        'add it under countries first, or use its name as written there',
    );
  });

  it('checks cross-references and drops the dangling ones from the loaded entry', async () => {
    const directory = copyFixtureKnowledge();
    const path = join(directory, 'skills', 'skill-iteration.md');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        'related_toolkits: [budget-vote-handbook]',
        'related_toolkits: [budget-vote-handbok, city-budget-vote]',
      ),
    );
    const knowledge = await loadKnowledge(directory);
    const lines = knowledge.problems.map(formatProblem);
    expect(lines).toContain(
      'skills/skill-iteration.md:10: related_toolkits.0: ' +
        '"budget-vote-handbok" is not the id of any entry — did you mean "budget-vote-handbook"?',
    );
    expect(lines).toContain(
      'skills/skill-iteration.md:10: related_toolkits.1: "city-budget-vote" is a case, not a toolkit — ' +
        'list it under related instead',
    );
    const skill = knowledge.entries.find((entry) => entry.id === 'skill-iteration');
    expect(skill?.type === 'skill' && skill.related_toolkits).toEqual([]);
  });

  it('refuses an entry whose id differs from its file name', async () => {
    const directory = copyFixtureKnowledge();
    writeEntry(
      directory,
      'facets/adaptive.md',
      readFileSync(join(directory, 'facets', 'anticipatory.md'), 'utf8'),
    );
    const knowledge = await loadKnowledge(directory);
    expect(knowledge.problems.map(formatProblem)).toContain(
      'facets/adaptive.md:2: id: "anticipatory" differs from the file name — ' +
        'rename the file to anticipatory.md or set id: adaptive',
    );
  });
});
