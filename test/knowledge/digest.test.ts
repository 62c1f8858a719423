import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeDigest, digestHeadline } from '../../src/knowledge/digest.js';
import { entryHashesOf, hashEntryFiles } from '../../src/knowledge/entry-hashes.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { copyFixtureKnowledge, writeEntry } from '../support/knowledge-copy.js';

const newToolkit = `---
id: citizen-panel-guide
type: toolkit
title: Guide to running a citizen panel
summary: >-
  A step-by-step guide to recruiting and running a citizen panel on a local decision. It helps a
  city hear a representative group of residents before it decides.
publisher: Example Foundation
year: 2021
toolkit_type: guide
disciplines: [participation]
facets: [adaptive]
lifecycle_stages: [generating-ideas]
methods: [participatory-budgeting]
licence: CC BY 4.0
reuse: remix
cost: free
url: https://example.org/citizen-panel-guide
sources: [https://example.org/citizen-panel-guide/source]
---

## What it is for
Running a citizen panel.

## What is inside
Recruitment, facilitation and reporting steps.

## When to use it
Before a contested local decision.
`;

describe('the knowledge digest', () => {
  it('lists an added and a changed entry once each, with their own links, then not again', async () => {
    const directory = copyFixtureKnowledge();
    const before = await hashEntryFiles(directory);
    expect(before).toEqual(entryHashesOf((await loadKnowledge(directory)).entries));

    writeEntry(directory, 'toolkits/citizen-panel-guide.md', newToolkit);
    const casePath = join(directory, 'cases', 'city-budget-vote.md');
    writeEntry(
      directory,
      'cases/city-budget-vote.md',
      readFileSync(casePath, 'utf8').replace('then voted on them.', 'then voted on them twice a year.'),
    );
    const { entries } = await loadKnowledge(directory);
    const digest = composeDigest(entries, { period: 'weekly', entryHashes: before }, { first: false });

    expect(digest.items).toEqual([
      {
        id: 'citizen-panel-guide',
        title: 'Guide to running a citizen panel',
        type: 'toolkit',
        line: 'A step-by-step guide to recruiting and running a citizen panel on a local decision.',
        url: 'https://example.org/citizen-panel-guide',
        change: 'added',
      },
      {
        id: 'city-budget-vote',
        title: 'Residents vote on the city budget',
        type: 'case',
        line: 'A city lets residents propose and vote on projects paid from part of its investment budget.',
        url: 'https://example.org/city-budget-vote',
        change: 'changed',
      },
    ]);
    expect(digest.moreCount).toBe(0);
    expect(digestHeadline(digest)).toBe(
      'This week in the PSI Navigator library, 2 entries were added or changed:',
    );

    // Told once: the next digest, against what this one leaves, has nothing to say.
    const next = composeDigest(
      entries,
      { period: 'weekly', entryHashes: digest.entryHashes },
      { first: false },
    );
    expect(next.items).toEqual([]);
    expect(digestHeadline(next)).toBe(
      'Nothing was added to or changed in the PSI Navigator library this week.',
    );
  });

  it('says what the library holds on the first digest, and that nothing is new since', async () => {
    const directory = copyFixtureKnowledge();
    const subscribedWith = await hashEntryFiles(directory);
    const { entries } = await loadKnowledge(directory);
    const digest = composeDigest(
      entries,
      { period: 'monthly', entryHashes: subscribedWith },
      { first: true },
    );
    expect(digest.items).toEqual([]);
    expect(digestHeadline(digest)).toBe(
      'The PSI Navigator library holds 6 entries (3 cases, 1 toolkit, 1 skill, 1 facet). ' +
        'Nothing was added or changed since you subscribed.',
    );
  });

  it('does not announce an entry again that was left out for an error and came back unchanged', async () => {
    const directory = copyFixtureKnowledge();
    const told = await hashEntryFiles(directory);
    const { entries } = await loadKnowledge(directory);
    const without = entries.filter((entry) => entry.id !== 'regional-foresight');
    const broken = composeDigest(without, { period: 'weekly', entryHashes: told }, { first: false });
    expect(broken.items).toEqual([]);
    const back = composeDigest(
      entries,
      { period: 'weekly', entryHashes: broken.entryHashes },
      { first: false },
    );
    expect(back.items).toEqual([]);
  });

  it('keeps a long period short: ten entries, and how many more', async () => {
    const directory = copyFixtureKnowledge();
    const { entries } = await loadKnowledge(directory);
    const digest = composeDigest(
      entries,
      { period: 'weekly', entryHashes: {} },
      { first: false, maxItems: 4 },
    );
    expect(digest.items).toHaveLength(4);
    expect(digest.moreCount).toBe(2);
    expect(digestHeadline(digest)).toContain('6 entries were added or changed');
  });
});
