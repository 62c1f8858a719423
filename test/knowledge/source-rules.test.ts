import { describe, expect, it } from 'vitest';
import { checkSources, copySiteOf, isRootOnly } from '../../src/knowledge/source-rules.js';

const rules = { copySites: ['slideshare.net', 'scribd.com'] };

describe('source rules', () => {
  it('tells a front page or a repository root from a specific document', () => {
    expect(isRootOnly('https://oecd-opsi.org/')).toBe(true);
    expect(isRootOnly('https://www.oecd.org/en/')).toBe(true);
    expect(isRootOnly('https://github.com/oecd-opsi/living-source-files')).toBe(true);
    expect(isRootOnly('https://github.com/oecd-opsi/living-source-files/tree/master')).toBe(true);
    expect(
      isRootOnly('https://github.com/oecd-opsi/living-source-files/blob/master/CoLab_Follow-the-Rabbit.pdf'),
    ).toBe(false);
    expect(isRootOnly('https://oecd-opsi.org/innovations/proactive-family-benefits/')).toBe(false);
    expect(isRootOnly('https://doi.org/10.1787/9789264236561-en')).toBe(false);
    expect(copySiteOf('https://fr.slideshare.net/x/y', rules)).toBe('slideshare.net');
    expect(copySiteOf('https://www.oecd.org/x', rules)).toBeUndefined();
  });

  it('rejects a root as the only source, warns on a root among specific ones and on copies', () => {
    expect(checkSources({ sources: ['https://oecd-opsi.org/'] }, rules)).toMatchObject([
      { field: 'sources', severity: 'error' },
    ]);
    const mixed = checkSources(
      {
        sources: [
          'https://oecd-opsi.org/innovations/x/',
          'https://oecd-opsi.org/',
          'https://scribd.com/doc/1',
        ],
      },
      rules,
    );
    expect(mixed.map((finding) => [finding.index, finding.severity])).toEqual([
      [1, 'warning'],
      [2, 'warning'],
    ]);
    // A copy kept on purpose, with a note, is fine.
    const keptCopy = { sources: ['https://scribd.com/doc/1'], source_note: 'Only copy of the 2012 report.' };
    expect(checkSources(keptCopy, rules)).toEqual([]);
  });

  it('requires a toolkit link to be specific unless a note explains it', () => {
    const root = {
      sources: ['https://example.org/guide.pdf'],
      url: 'https://github.com/oecd-opsi/living-source-files',
    };
    expect(checkSources(root, rules)).toMatchObject([{ field: 'url', severity: 'error' }]);
    expect(checkSources({ ...root, source_note: 'A single-page site.' }, rules)).toEqual([]);
  });
});
