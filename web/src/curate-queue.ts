import type { AcceptResponse, Submission, SubmissionDetail } from '../../adapters/web/api-schemas.js';
import { ApiFailure, getJson, postJson } from './api.js';
import { externalLink, h, replace } from './dom.js';

// The review queue: submissions from every channel; open one, edit it into a draft entry, accept
// (the file is written and shown as a diff) or reject with a reason.

interface DraftProblem {
  field: string;
  problem: string;
  fix: string;
}

const statusLabel: Record<Submission['status'], string> = {
  to_review: 'To review',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export async function showQueue(view: HTMLElement, filter = 'to_review'): Promise<void> {
  const query = filter ? `?status=${filter}` : '';
  const { submissions } = await getJson<{ submissions: Submission[] }>(`/api/curate/submissions${query}`);
  const select = h(
    'select',
    {
      id: 'queue-status',
      onchange: (event: Event) => void showQueue(view, (event.target as HTMLSelectElement).value),
    },
    ...[
      ['to_review', 'To review'],
      ['accepted', 'Accepted'],
      ['rejected', 'Rejected'],
      ['', 'All'],
    ].map(([value, text]) =>
      h('option', { value: value!, ...(value === filter ? { selected: true } : {}) }, text),
    ),
  );
  replace(
    view,
    h('h2', {}, 'Review queue'),
    h(
      'div',
      { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'queue-status' }, 'Status'), select),
    ),
    submissions.length === 0
      ? h('p', {}, 'No submissions here.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, 'Case submissions'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Title', 'Country', 'From', 'Submitted', 'Status', ''].map((text) =>
                  h('th', { scope: 'col' }, text),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...submissions.map((submission) =>
                h(
                  'tr',
                  {},
                  h('td', {}, submission.title),
                  h('td', {}, submission.country),
                  h('td', {}, submission.channel),
                  h('td', {}, submission.submittedAt.slice(0, 10)),
                  h('td', {}, statusLabel[submission.status]),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'secondary',
                        'aria-label': `Open “${submission.title}”`,
                        onclick: () => void openSubmission(view, submission.submissionId),
                      },
                      'Open',
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

function fieldInput(question: SubmissionDetail['questions'][number], value: string): HTMLElement {
  const id = `draft-${question.field}`;
  const hint =
    question.choices && question.list ? `One or more of: ${question.choices.join(', ')}` : undefined;
  const control =
    question.choices && !question.list
      ? h(
          'select',
          { id, name: question.field },
          h('option', { value: '' }, 'Choose…'),
          ...question.choices.map((choice) =>
            h('option', { value: choice, ...(choice === value ? { selected: true } : {}) }, choice),
          ),
        )
      : question.field === 'summary'
        ? h('textarea', { id, name: question.field, rows: '3' })
        : h('input', {
            id,
            name: question.field,
            type: 'text',
            value,
            ...(hint ? { 'aria-describedby': `${id}-hint` } : {}),
          });
  if (control instanceof HTMLTextAreaElement) control.value = value;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, question.prompt, question.optional ? ' (optional)' : ''),
    hint && h('p', { class: 'hint', id: `${id}-hint` }, hint),
    control,
  );
}

async function openSubmission(view: HTMLElement, submissionId: string): Promise<void> {
  const detail = await getJson<SubmissionDetail>(
    `/api/curate/submissions/${encodeURIComponent(submissionId)}`,
  );
  const { submission, draft } = detail;
  const message = h('div', { role: 'status', 'aria-live': 'polite' });
  const idInput = h('input', {
    id: 'draft-id',
    name: 'id',
    type: 'text',
    value: draft.id,
    'aria-describedby': 'draft-id-hint',
  });
  const sections = detail.sectionHeadings.map((heading, index) => {
    const area = h('textarea', { id: `section-${index}`, rows: '3', 'data-heading': heading });
    area.value = draft.sections[heading] ?? '';
    return h('div', { class: 'field' }, h('label', { for: `section-${index}` }, `Section: ${heading}`), area);
  });
  const form = h(
    'form',
    { class: 'draft-form', 'aria-labelledby': 'draft-heading' },
    h('h3', { id: 'draft-heading' }, 'Draft entry'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'draft-id' }, 'Id (file name)'),
      h(
        'p',
        { class: 'hint', id: 'draft-id-hint' },
        'Lowercase words joined by hyphens: knowledge/cases/<id>.md',
      ),
      idInput,
    ),
    ...detail.questions.map((question) => fieldInput(question, draft.answers[question.field] ?? '')),
    ...sections,
  );
  const reason = h('textarea', { id: 'reject-reason', rows: '2' });
  const collect = () => ({
    id: idInput.value,
    answers: Object.fromEntries(
      detail.questions.map((question) => [
        question.field,
        (form.querySelector<HTMLInputElement>(`#draft-${question.field}`)?.value ?? '').trim(),
      ]),
    ),
    sections: Object.fromEntries(
      [...form.querySelectorAll<HTMLTextAreaElement>('textarea[data-heading]')]
        .filter((area) => area.value.trim())
        .map((area) => [area.dataset.heading!, area.value]),
    ),
  });
  const accept = async () => {
    try {
      const result = await postJson<AcceptResponse>(
        `/api/curate/submissions/${submissionId}/accept`,
        collect(),
      );
      replace(
        message,
        h('h3', {}, `Accepted: written to knowledge/${result.path}`),
        h(
          'pre',
          { class: 'diff', 'aria-label': 'Diff of the knowledge directory' },
          ...result.diff
            .split('\n')
            .map((line) =>
              h(
                'span',
                { class: line.startsWith('+') ? 'added' : line.startsWith('-') ? 'removed' : '' },
                `${line}\n`,
              ),
            ),
        ),
      );
      form.remove();
      actions.remove();
    } catch (error) {
      showProblems(message, error);
    }
  };
  const reject = async () => {
    try {
      await postJson(`/api/curate/submissions/${submissionId}/reject`, { reason: reason.value });
      replace(message, h('p', {}, 'Rejected. The reason is kept with the submission.'));
      form.remove();
      actions.remove();
    } catch (error) {
      showProblems(message, error);
    }
  };
  const actions = h(
    'div',
    {},
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', id: 'accept', onclick: () => void accept() },
        'Accept and write the entry',
      ),
    ),
    h(
      'div',
      { class: 'field draft-form' },
      h('label', { for: 'reject-reason' }, 'Reason for rejecting'),
      reason,
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'secondary', id: 'reject', onclick: () => void reject() },
          'Reject',
        ),
      ),
    ),
  );
  replace(
    view,
    h(
      'p',
      {},
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => void showQueue(view) },
        '← Back to the queue',
      ),
    ),
    h('h2', { tabindex: '-1', id: 'submission-heading' }, submission.title),
    h(
      'dl',
      {},
      ...[
        ['Country', submission.country],
        ['Organisation', submission.organisation],
        ['From', `${submission.channel}${submission.submittedBy ? ` (${submission.submittedBy})` : ''}`],
        ['Submitted', submission.submittedAt.slice(0, 10)],
        ['Status', statusLabel[submission.status]],
        ['What was done', submission.whatWasDone],
      ].flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
      h('dt', {}, 'Link'),
      h('dd', {}, externalLink(submission.link, submission.link)),
    ),
    submission.status === 'to_review'
      ? form
      : h('p', {}, `Reviewed${submission.reviewNote ? `: ${submission.reviewNote}` : ''}.`),
    submission.status === 'to_review' ? actions : false,
    message,
  );
  view.querySelector<HTMLElement>('#submission-heading')?.focus();
}

function showProblems(target: HTMLElement, error: unknown): void {
  const problems = (
    error instanceof ApiFailure
      ? (error.body as { error: { problems?: DraftProblem[] } } | undefined)
      : undefined
  )?.error.problems;
  replace(
    target,
    h(
      'div',
      { class: 'problems', role: 'alert' },
      h('p', {}, error instanceof Error ? error.message : 'Something went wrong.'),
      problems &&
        h(
          'ul',
          {},
          ...problems.map((problem) => h('li', {}, `${problem.field}: ${problem.problem} (${problem.fix})`)),
        ),
    ),
  );
}
