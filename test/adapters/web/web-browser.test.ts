import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNavigatorCli } from '../../support/run-cli.js';
import {
  chromiumAvailable,
  desktop,
  expectAccessible,
  launchChromium,
  phone,
  screenshot,
  stayOnLoopback,
  tabTo,
} from './support/browser.js';
import { startWebTestServer, type WebTestServer } from './support/web-test-server.js';

// End to end in Debian's Chromium against the real server (embedded store, offline Navigator):
// the chat by keyboard only, feedback found again in the console, a Slack submission accepted into
// knowledge/, axe-core on every page, and screenshots at desktop and phone width.

const curatorToken = 'browser-test-curator-token-0123456789';

let server: WebTestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  server = await startWebTestServer({
    NAVIGATOR_CURATOR_TOKEN: curatorToken,
    NAVIGATOR_CURATOR_CONTACT: 'mailto:curators@example.org',
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: desktop });
  await stayOnLoopback(context);
  page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.skipIf(!chromiumAvailable())('the web chat in a browser', () => {
  it('asks by keyboard only and shows a cited answer with cards, follow-ups and the AI label', async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await tabTo(page, 'a.skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('question');
    await page.keyboard.type('How do cities let residents vote on the budget?');
    await page.keyboard.press('Enter');
    const turn = page.locator('article.turn').last();
    await turn.locator('.sources').waitFor();
    const citation = turn.locator('sup.citation a').first();
    expect(await citation.getAttribute('href')).toBe('https://example.org/city-budget-vote');
    expect(await citation.getAttribute('aria-label')).toBe('Source 1: Residents vote on the city budget');
    expect(await turn.locator('.cards .card').first().innerText()).toContain(
      'Whom to approach: City of Exampleville',
    );
    expect(await turn.locator('.ai-label').innerText()).toMatch(/composed automatically/i);
    expect(await turn.locator('.hand-off a').getAttribute('href')).toMatch(
      /^mailto:curators@example\.org\?subject=/,
    );

    await tabTo(page, 'article.turn:last-of-type button.follow-up');
    const followUp = await page.evaluate(() => document.activeElement?.textContent ?? '');
    await page.keyboard.press('Enter');
    await page.locator('article.turn').nth(1).locator('.feedback').waitFor();
    expect(await page.locator('article.turn .question').nth(1).innerText()).toContain(followUp);
    await expectAccessible(page);
    await screenshot(page, 'chat-desktop');
  });

  it('takes 👎 with a comment, and keeps the conversation across a reload', async () => {
    await tabTo(page, 'article.turn:last-of-type .feedback button:nth-of-type(2)');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('I needed examples from outside Europe');
    await tabTo(page, 'article.turn:last-of-type .comment-form button');
    await page.keyboard.press('Enter');
    await page.locator('article.turn:last-of-type .thanks').waitFor();
    const stored = await server.store.feedback.since(new Date(0));
    expect(stored.map((record) => record.comment)).toContain('I needed examples from outside Europe');

    await page.reload();
    await page.locator('article.turn').nth(1).waitFor();
    expect(await page.locator('article.turn').count()).toBe(2);
    expect(await page.locator('article.turn').last().locator('.thanks').count()).toBe(1);
  });

  it('fits a phone screen', async () => {
    const phonePage = await context.newPage();
    await phonePage.setViewportSize(phone);
    await phonePage.goto(`${server.url}/`);
    await phonePage.locator('article.turn').first().waitFor();
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(phonePage);
    await screenshot(phonePage, 'chat-phone');
    await phonePage.close();
  });
});

describe.skipIf(!chromiumAvailable())('the curator console in a browser', () => {
  it('refuses an anonymous visitor and a forged CSRF token', async () => {
    const anonymous = await browser.newContext({ viewport: desktop });
    await stayOnLoopback(anonymous);
    const visitor = await anonymous.newPage();
    await visitor.goto(`${server.url}/curate`);
    await visitor.locator('#token-form').waitFor();
    const statuses = await visitor.evaluate(async () => {
      const queue = await fetch('/api/curate/submissions');
      const forged = await fetch('/api/session/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': 'forged' },
        body: JSON.stringify({ token: 'anything' }),
      });
      return [queue.status, forged.status];
    });
    expect(statuses).toEqual([401, 403]);
    await expectAccessible(visitor);
    await screenshot(visitor, 'console-sign-in');
    await anonymous.close();
  });

  it('signs in with the token, accepts a Slack submission and shows the diff', async () => {
    const submitted = await server.store.caseSubmissions.submit(
      {
        title: 'Open data for school meals',
        country: 'France',
        organisation: 'City of Exampleville',
        whatWasDone: 'The city published school meal data. Parents used it to suggest changes to menus.',
        link: 'https://example.org/school-meals',
      },
      { channel: 'slack', user: 'U123' },
    );
    expect(submitted.ok).toBe(true);
    await page.goto(`${server.url}/curate`);
    await page.locator('#curator-token').fill(curatorToken);
    await page.keyboard.press('Enter');
    await page.locator('nav .tabs').waitFor();
    await page.getByRole('button', { name: 'Open “Open data for school meals”' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-queue');
    await page.getByRole('button', { name: 'Open “Open data for school meals”' }).click();
    await page.locator('#draft-level').selectOption('local');
    await page
      .locator('#draft-summary')
      .fill('The city published school meal data as open data. Parents used it to suggest healthier menus.');
    await page.locator('#draft-organisation_type').fill('municipality');
    await page.locator('#draft-year').fill('2021');
    await page.locator('#draft-sectors').fill('education');
    await page.locator('#draft-lifecycle_stage').selectOption('implementing-projects');
    await page.locator('#draft-facets').fill('enhancement-oriented');
    await page.locator('#draft-facet_reason').fill('It improves an existing service with open data.');
    await page.locator('#draft-methods').fill('open-data');
    await expectAccessible(page);
    await page.locator('#accept').click();
    await page.locator('pre.diff').waitFor();
    expect(await page.locator('pre.diff').innerText()).toContain('+title: Open data for school meals');
    await screenshot(page, 'console-accepted-diff');
    expect(existsSync(join(server.knowledgeDir, 'cases', 'open-data-for-school-meals.md'))).toBe(true);
    const validate = await runNavigatorCli(['kb', 'validate'], { KNOWLEDGE_DIR: server.knowledgeDir });
    expect(validate.code).toBe(0);
  });

  it('shows the 👎 from the chat, the gap chart, coverage and the entry browser', async () => {
    await page.goto(`${server.url}/curate#feedback`);
    await page.getByText('I needed examples from outside Europe').waitFor();
    // The rated answer opens from its row, as the reader saw it.
    const row = page.locator('tr', { hasText: 'I needed examples from outside Europe' });
    await row.getByText('Show answer').click();
    expect(await row.locator('.rated-answer').innerText()).toMatch(/\[\d\]/);
    await expectAccessible(page);
    await screenshot(page, 'console-feedback');

    await page.goto(`${server.url}/curate#gaps`);
    await page.locator('canvas').waitFor();
    await page.locator('table').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-gaps');

    await page.goto(`${server.url}/curate#coverage`);
    await page.locator('table.heat').first().waitFor();
    expect(await page.locator('table.heat').first().innerText()).toContain('gap (<3)');
    await expectAccessible(page);
    await screenshot(page, 'console-coverage');

    await page.goto(`${server.url}/curate#entries`);
    await page.locator('#entries-country').selectOption('France');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Residents vote on the city budget').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-entries');

    await page.setViewportSize(phone);
    await page.goto(`${server.url}/curate#coverage`);
    await page.locator('table.heat').first().waitFor();
    await screenshot(page, 'console-coverage-phone');
    await page.setViewportSize(desktop);
    expect(cspViolations).toEqual([]);
  });
});
