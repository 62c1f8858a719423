import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  desktop,
  expectAccessible,
  launchChromium,
  phone,
  screenshot,
  stayOnLoopback,
} from './support/browser.js';
import { startWebTestServer, type WebTestServer } from './support/web-test-server.js';

// "Ask a curator" end to end in Debian's Chromium: the asker hands an answer over with a note, a
// curator signed in elsewhere replies from the Hand-offs view, and the reply appears in the asker's
// chat without a reload (the page polls; `?poll-ms=` makes that quick here). A second curator who
// replies late is told that someone answered first.

const curatorToken = 'hand-off-browser-curator-token-0123456789';
const pollMs = 400;

let server: WebTestServer;
let browser: Browser;
let askerContext: BrowserContext;
let curatorContext: BrowserContext;
let asker: Page;
let curator: Page;
const conversationPolls: number[] = [];

async function askInChat(question: string) {
  await asker.locator('#question').fill(question);
  await asker.keyboard.press('Enter');
  const turn = asker.locator('article.turn').last();
  await turn.locator('.feedback').waitFor();
  return turn;
}

async function signInAsCurator(page: Page): Promise<void> {
  await page.goto(`${server.url}/curate`);
  await page.locator('#curator-token').fill(curatorToken);
  await page.keyboard.press('Enter');
  await page.locator('nav .tabs').waitFor();
}

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  server = await startWebTestServer({ NAVIGATOR_CURATOR_TOKEN: curatorToken });
  browser = await launchChromium();
  askerContext = await browser.newContext({ viewport: desktop });
  curatorContext = await browser.newContext({ viewport: desktop });
  await stayOnLoopback(askerContext);
  await stayOnLoopback(curatorContext);
  asker = await askerContext.newPage();
  curator = await curatorContext.newPage();
  asker.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/conversation') conversationPolls.push(Date.now());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.skipIf(!chromiumAvailable())('asking a curator from the web chat, in a browser', () => {
  it('hands an answer over with a note and tells the asker, focus following', async () => {
    await asker.goto(`${server.url}/?poll-ms=${pollMs}`);
    const turn = await askInChat('How do cities let residents vote on the budget?');
    // No contact configured: the hand-off button is the only way, and there is no link.
    expect(await turn.locator('.hand-off a').count()).toBe(0);
    await turn.getByRole('button', { name: /^Ask a curator/ }).click();
    expect(await asker.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    expect(await turn.getByLabel('What do you still need? (optional)').count()).toBe(1);
    await asker.keyboard.type('A contact in a small town, please');
    await turn.getByRole('button', { name: 'Send to a curator' }).click();
    await turn.locator('.hand-off-notice').waitFor();
    expect(await turn.locator('.hand-off-notice').innerText()).toMatch(/went to a curator \(a person\)/);
    const sent = turn.locator('.curator-hand-off button');
    expect(await sent.innerText()).toBe('Sent to a curator');
    expect(await sent.isDisabled()).toBe(true);
    expect(await asker.evaluate(() => document.activeElement?.matches('article.turn'))).toBe(true);

    const stored = await server.store.handOffs.list('web', { status: 'open' });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.payload).toMatchObject({
      question: 'How do cities let residents vote on the budget?',
      note: 'A contact in a small town, please',
    });
    await expectAccessible(asker);
  });

  it('lists it in the Hand-offs view, with the open count in the nav, and takes the reply', async () => {
    await signInAsCurator(curator);
    await curator.locator('#hand-off-count', { hasText: '(1 open)' }).waitFor();
    await curator.getByRole('link', { name: /Hand-offs/ }).click();
    const card = curator.locator('.hand-off-card').first();
    await card.getByRole('heading', { name: 'How do cities let residents vote on the budget?' }).waitFor();
    expect(await card.innerText()).toContain('What they still need: A contact in a small town, please');
    // The answer is there but collapsed.
    expect(await card.locator('details').getAttribute('open')).toBeNull();
    await card.locator('summary').click();
    expect(await card.locator('details .answer-text').innerText()).not.toBe('');
    await expectAccessible(curator);
    await screenshot(curator, 'console-hand-offs');

    await card.getByLabel('Your reply to the asker').fill('Try the Exampleville participation office.');
    await card.getByRole('button', { name: 'Send reply' }).click();
    await curator.getByText('Reply sent: the asker sees it in their chat.').waitFor();
    expect(await curator.locator('#hand-off-count').innerText()).toBe('');
    expect(await curator.getByText('No hand-offs here.').count()).toBe(1);
  });

  it('shows the reply without a reload, marked as a person’s, then stops polling', async () => {
    await asker.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const reply = asker.locator('article.turn .curator-reply-region .curator-reply');
    await reply.waitFor({ timeout: 20_000 });
    expect(await reply.innerText()).toContain('From a curator (a person, not the AI)');
    expect(await reply.innerText()).toContain('Try the Exampleville participation office.');
    expect(await asker.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await asker.locator('.curator-reply-region').getAttribute('aria-live')).toBe('polite');
    await expectAccessible(asker);
    await screenshot(asker, 'chat-curator-reply');

    // Nothing open any more: no further polls.
    const polls = conversationPolls.length;
    await asker.waitForTimeout(pollMs * 4);
    expect(conversationPolls.length).toBe(polls);

    // Kept across a reload.
    await asker.reload();
    await asker.locator('article.turn .curator-reply').waitFor();
  });

  it('tells a second curator who replies late that another curator answered first', async () => {
    await askInChat('Which skills does a public sector innovation team need?');
    const turn = asker.locator('article.turn').last();
    await turn.getByRole('button', { name: /^Ask a curator/ }).click();
    await turn.getByRole('button', { name: 'Send to a curator' }).click();
    await turn.locator('.hand-off-notice').waitFor();

    const other = await curatorContext.newPage();
    await curator.reload(); // still on #hand-offs from the last test
    await other.goto(`${server.url}/curate#hand-offs`);
    const question = 'Which skills does a public sector innovation team need?';
    await curator.getByRole('heading', { name: question }).waitFor();
    await other.getByRole('heading', { name: question }).waitFor();
    await curator.getByLabel('Your reply to the asker').fill('See the skills framework.');
    await curator.getByRole('button', { name: 'Send reply' }).click();
    await curator.getByText('Reply sent').waitFor();
    await other.getByLabel('Your reply to the asker').fill('A late reply');
    await other.getByRole('button', { name: 'Send reply' }).click();
    await other.getByText('Another curator answered first; the list is up to date.').waitFor();
    expect(await other.getByRole('heading', { name: question }).count()).toBe(0);

    await other.locator('#hand-off-status').selectOption('all');
    await other.getByText('See the skills framework.').waitFor();
    expect(await other.getByText('A late reply').count()).toBe(0);
    // Answered ones are listed too.
    expect(await other.locator('.hand-off-card').count()).toBe(2);
    await other.close();
  });

  it('fits a phone screen', async () => {
    const phonePage = await curatorContext.newPage();
    await phonePage.setViewportSize(phone);
    await phonePage.goto(`${server.url}/curate#hand-offs`);
    await phonePage.locator('#hand-off-status').selectOption('all');
    await phonePage.locator('.hand-off-card').nth(1).waitFor();
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(phonePage);
    await screenshot(phonePage, 'console-hand-offs-phone');

    const chatPhone = await askerContext.newPage();
    await chatPhone.setViewportSize(phone);
    await chatPhone.goto(`${server.url}/`);
    await chatPhone.locator('article.turn .curator-reply').first().waitFor();
    expect(
      await chatPhone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(chatPhone, 'chat-curator-reply-phone');
    await chatPhone.close();
    await phonePage.close();
  });
});
