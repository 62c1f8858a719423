import type { Coverage, FeedbackList, GapReport } from '../../adapters/web/api-schemas.js';
import { renderAnswerText } from './answer-text.js';
import { getJson } from './api.js';
import { barChart } from './charts.js';
import { h, replace } from './dom.js';

// Feedback, the gap report and coverage: what curators need to decide what to add next.

const ratingLabel = { helpful: '👍 helpful', not_helpful: '👎 not helpful' } as const;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

function table(caption: string, headings: string[], rows: (string | Node)[][]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))),
    ),
  );
}

/** The answer folded away (answers are long), and a link that opens it where it was given. */
function ratedAnswer(record: FeedbackList['feedback'][number]): Node {
  const parts: Node[] = [];
  if (record.answer)
    parts.push(
      h(
        'details',
        {},
        h('summary', {}, 'Show answer'),
        // Cited ids are kept, not the sources' links: the [n] markers stay plain text here.
        h('div', { class: 'rated-answer' }, ...renderAnswerText(record.answer, [])),
      ),
    );
  if (record.answerLink)
    parts.push(
      h('a', { href: record.answerLink, target: '_blank', rel: 'noopener noreferrer' }, 'Open in Slack'),
    );
  return parts.length > 0 ? h('div', {}, ...parts) : document.createTextNode('(not kept)');
}

const field = (id: string, label: string, control: HTMLElement) =>
  h('div', { class: 'field' }, h('label', { for: id }, label), control);

export async function showFeedback(view: HTMLElement, filters: Record<string, string> = {}): Promise<void> {
  const current = { from: daysAgo(30), to: daysAgo(0), channel: '', rating: '', ...filters };
  const query = new URLSearchParams(Object.entries(current).filter(([, value]) => value));
  const { feedback, channels } = await getJson<FeedbackList>(`/api/curate/feedback?${query}`);
  const from = h('input', { id: 'feedback-from', type: 'date', value: current.from });
  const to = h('input', { id: 'feedback-to', type: 'date', value: current.to });
  const channel = h(
    'select',
    { id: 'feedback-channel' },
    h('option', { value: '' }, 'All channels'),
    ...channels.map((name) =>
      h('option', { value: name, ...(name === current.channel ? { selected: true } : {}) }, name),
    ),
  );
  const rating = h(
    'select',
    { id: 'feedback-rating' },
    ...[
      ['', 'Both'],
      ['not_helpful', '👎 not helpful'],
      ['helpful', '👍 helpful'],
    ].map(([value, text]) =>
      h('option', { value: value!, ...(value === current.rating ? { selected: true } : {}) }, text),
    ),
  );
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void showFeedback(view, {
          from: from.value,
          to: to.value,
          channel: channel.value,
          rating: rating.value,
        });
      },
    },
    field('feedback-from', 'From', from),
    field('feedback-to', 'To', to),
    field('feedback-channel', 'Channel', channel),
    field('feedback-rating', 'Rating', rating),
    h('button', { type: 'submit' }, 'Show'),
  );
  replace(
    view,
    h('h2', {}, 'Feedback'),
    form,
    feedback.length === 0
      ? h('p', {}, 'No feedback in this period.')
      : table(
          `${feedback.length} rating(s)`,
          ['Received', 'Channel', 'Rating', 'Question', 'Answer', 'Comment', 'Cited entries'],
          feedback.map((record) => [
            record.receivedAt.slice(0, 16).replace('T', ' '),
            record.channel,
            ratingLabel[record.rating],
            record.question ?? '(not kept)',
            ratedAnswer(record),
            record.comment ?? '',
            record.citedIds.join(', '),
          ]),
        ),
  );
}

export async function showGaps(view: HTMLElement, days = 30): Promise<void> {
  const report = await getJson<GapReport>(`/api/curate/gaps?days=${days}`);
  const select = h(
    'select',
    {
      id: 'gap-days',
      onchange: (event: Event) => void showGaps(view, Number((event.target as HTMLSelectElement).value)),
    },
    ...[7, 30, 90].map((value) =>
      h(
        'option',
        { value: String(value), ...(value === days ? { selected: true } : {}) },
        `Last ${value} days`,
      ),
    ),
  );
  const canvas = h('canvas', {
    role: 'img',
    'aria-label':
      'Questions without a match and answers rated not helpful, per day; ' +
      'the same numbers are in the table below.',
  });
  replace(
    view,
    h('h2', {}, 'Gap report'),
    h(
      'p',
      {},
      'Questions the knowledge base could not answer (no match) or whose answer was rated 👎, ' +
        'grouped by topic.',
    ),
    h('div', { class: 'filters' }, field('gap-days', 'Period', select)),
    h('h3', {}, 'Over time'),
    h('div', { class: 'chart-box' }, canvas),
    report.gaps.length === 0
      ? h('p', {}, 'No gaps in this period.')
      : table(
          'Topics, largest first',
          ['Topic', 'No match', '👎 not helpful', 'Total', 'Last seen'],
          report.gaps.map((gap) => [
            gap.topic,
            String(gap.noMatch),
            String(gap.notHelpful),
            String(gap.total),
            gap.lastSeenAt.slice(0, 10),
          ]),
        ),
    h(
      'details',
      {},
      h('summary', {}, 'Counts per day as a table'),
      table(
        'Per day',
        ['Day', 'No match', '👎 not helpful'],
        report.timeline.map((row) => [row.day, String(row.noMatch), String(row.notHelpful)]),
      ),
    ),
  );
  barChart(
    canvas,
    report.timeline.map((row) => row.day.slice(5)),
    [
      { label: 'No match (solid)', values: report.timeline.map((row) => row.noMatch) },
      {
        label: '👎 not helpful (striped)',
        values: report.timeline.map((row) => row.notHelpful),
        striped: true,
      },
    ],
    { stacked: true },
  );
}

function heatMap(
  caption: string,
  grid: Record<string, Record<string, number>>,
  coverage: Coverage,
  minimum?: number,
) {
  const all = coverage.facets.flatMap((facet) => coverage.stages.map((stage) => grid[facet]?.[stage] ?? 0));
  const highest = Math.max(1, ...all);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'heat' },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Facet \\ stage'),
          ...coverage.stages.map((stage) => h('th', { scope: 'col' }, stage)),
        ),
      ),
      h(
        'tbody',
        {},
        ...coverage.facets.map((facet) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, facet),
            ...coverage.stages.map((stage) => {
              const count = grid[facet]?.[stage] ?? 0;
              const level = count === 0 ? 0 : Math.min(4, 1 + Math.floor((count / highest) * 3.99));
              return h(
                'td',
                { class: `count level-${level}` },
                String(count),
                minimum !== undefined && count < minimum
                  ? h('span', { class: 'gap-mark' }, `gap (<${minimum})`)
                  : false,
              );
            }),
          ),
        ),
      ),
    ),
  );
}

export async function showCoverage(view: HTMLElement): Promise<void> {
  const coverage = await getJson<Coverage>('/api/curate/coverage');
  const top = coverage.casesByCountry.slice(0, 25);
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': 'Cases per country, the 25 largest; all countries are in the table below.',
  });
  replace(
    view,
    h('h2', {}, 'Coverage'),
    h(
      'p',
      {},
      'Counts from the same code as `navigator kb stats`. ' +
        'Darker cells hold more entries; the number is always shown.',
    ),
    heatMap('Cases per facet × lifecycle stage', coverage.cases, coverage, coverage.minimumCasesPerCell),
    heatMap('Toolkits per facet × lifecycle stage', coverage.toolkits, coverage),
    h('h3', {}, 'Cases per country'),
    h('div', { class: 'chart-box' }, canvas),
    h(
      'details',
      {},
      h('summary', {}, 'All countries as a table'),
      table(
        'Cases per country',
        ['Country', 'Cases'],
        coverage.casesByCountry.map((row) => [row.country, String(row.cases)]),
      ),
    ),
    coverage.gaps.length > 0 &&
      h(
        'details',
        {},
        h('summary', {}, `${coverage.gaps.length} gaps reported by kb stats`),
        h('ul', {}, ...coverage.gaps.map((gap) => h('li', {}, gap))),
      ),
  );
  barChart(
    canvas,
    top.map((row) => row.country),
    [{ label: 'Cases', values: top.map((row) => row.cases) }],
    { horizontal: true },
  );
}
