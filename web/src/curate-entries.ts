import type { Entries } from '../../adapters/web/api-schemas.js';
import { getJson } from './api.js';
import { externalLink, h, replace } from './dom.js';

// The entry browser: cases with the case library's filters, toolkits with the Toolkit Navigator's.

const filtersByType = {
  case: ['country', 'level', 'sector', 'stage', 'facet', 'year'],
  toolkit: ['facet', 'stage', 'discipline', 'licence', 'reuse'],
} as const;

export async function showEntries(
  view: HTMLElement,
  chosen: Record<string, string> = { type: 'case' },
): Promise<void> {
  const type = chosen.type === 'toolkit' ? 'toolkit' : 'case';
  const query = new URLSearchParams(Object.entries(chosen).filter(([, value]) => value));
  const { entries, options } = await getJson<Entries>(`/api/curate/entries?${query}`);
  const selects = [
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'entries-type' }, 'Type'),
      h(
        'select',
        { id: 'entries-type', name: 'type' },
        h('option', { value: 'case', ...(type === 'case' ? { selected: true } : {}) }, 'Cases'),
        h('option', { value: 'toolkit', ...(type === 'toolkit' ? { selected: true } : {}) }, 'Toolkits'),
      ),
    ),
    ...filtersByType[type].map((name) =>
      h(
        'div',
        { class: 'field' },
        h('label', { for: `entries-${name}` }, name[0]!.toUpperCase() + name.slice(1)),
        h(
          'select',
          { id: `entries-${name}`, name },
          h('option', { value: '' }, 'Any'),
          ...(options[name] ?? []).map((value) =>
            h('option', { value, ...(value === chosen[name] ? { selected: true } : {}) }, value),
          ),
        ),
      ),
    ),
  ];
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const values = Object.fromEntries(
          [...form.querySelectorAll('select')].map((select) => [select.name, select.value]),
        );
        // A new type has other filters: keep only the type.
        void showEntries(view, values.type === type ? values : { type: values.type ?? 'case' });
      },
    },
    ...selects,
    h('button', { type: 'submit' }, 'Filter'),
  );
  replace(
    view,
    h('h2', {}, 'Entries'),
    form,
    h('p', { role: 'status' }, `${entries.length} ${type === 'case' ? 'case' : 'toolkit'}(s)`),
    h(
      'ul',
      { class: 'entry-list' },
      ...entries.map((entry) =>
        h(
          'li',
          { class: 'card' },
          h('p', { class: 'card-title' }, externalLink(entry.url, entry.title)),
          h('p', { class: 'card-meta' }, entry.details.join(' · ')),
          h(
            'p',
            { class: 'card-meta' },
            `Facets: ${entry.facets.join(', ')} · Stages: ${entry.stages.join(', ')}`,
          ),
          h('p', {}, entry.summary),
          h('p', { class: 'card-meta' }, `knowledge/${entry.file}`),
        ),
      ),
    ),
  );
}
