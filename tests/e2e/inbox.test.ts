import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, statusChanged } from '../events.js';
import { api, dingtalkUrl, newPhone, registerOnDingTalk, report, unique } from './helpers.js';

/**
 * The local DingTalk inbox page, in a real browser (Debian's Chromium driven by playwright-core): what a
 * person looking at it sees after a few ticket changes.
 */
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // A closed network: no background connections, no sandbox as root.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(() => browser?.close());

describe('the inbox page', () => {
  it('shows each person the cards they got, newest first, with dropped ones marked and a button to the ticket', async () => {
    const reader = { userId: unique('u'), dingtalk: unique('dt'), phone: newPhone() };
    const other = { userId: unique('u'), dingtalk: unique('dt'), phone: newPhone() };
    for (const p of [reader, other]) {
      await registerOnDingTalk(p.phone.dingtalk, p.dingtalk);
      await api('PUT', `/users/${p.userId}/dingtalk`, { phone: p.phone.typed });
    }
    const projectId = unique('p');
    await api('PUT', `/projects/${projectId}/dingtalk`, { connected: true, actorId: 'owner' });
    const ticket = { projectId, creatorId: reader.userId, assigneeIds: [], followerIds: [], url: 'https://tickets.example.com/alpha/7', key: 'ALPHA-7', title: 'Lỗi **in đậm** <b>không</b>' };
    const first = statusChanged({ eventId: unique('evt'), occurredAt: '2026-12-04T01:00:00Z', ticket, status: { from: 'Mới', to: 'Đang xử lý' } });
    const second = statusChanged({ eventId: unique('evt'), occurredAt: '2026-12-04T01:05:00Z', ticket, status: { from: 'Đang xử lý', to: 'Đã xong' } });
    // The same change posted again under another id: identical content, which DingTalk drops.
    const repeat = { ...second, eventId: unique('evt') };
    for (const e of [first, second, repeat]) {
      await api('POST', '/ticket-events/status-changed', body(e));
      await report(e.eventId);
    }
    const elsewhere = statusChanged({ eventId: unique('evt'), ticket: { ...ticket, creatorId: other.userId } });
    await api('POST', '/ticket-events/status-changed', body(elsewhere));
    await report(elsewhere.eventId);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${dingtalkUrl()}/_local/inbox`);
    await page.selectOption('#who', reader.dingtalk);
    // The page re-renders with only the chosen person's inbox.
    await expect.poll(() => page.locator('section.inbox').count()).toBe(1);
    const inbox = page.locator(`section.inbox[data-userid="${reader.dingtalk}"]`);
    await inbox.locator('.card').nth(2).waitFor();

    const cards = inbox.locator('.card');
    expect(await cards.count()).toBe(3);
    // Newest first: the dropped repeat, then "Đã xong", then "Đang xử lý".
    await expect.poll(() => cards.nth(0).getAttribute('class')).toContain('dropped');
    expect(await cards.nth(0).locator('.badge').innerText()).toMatch(/identical content/);
    expect(await cards.nth(1).locator('.badge').count()).toBe(0);
    expect(await cards.nth(1).innerText()).toContain('Đang xử lý → Đã xong');
    expect(await cards.nth(2).innerText()).toContain('Mới → Đang xử lý');
    // User text is shown as typed, never as markup.
    expect(await cards.nth(2).locator('.body h4').innerText()).toContain('Lỗi **in đậm** <b>không</b>');
    expect(await cards.nth(2).locator('.body b').count()).toBe(0);
    const button = cards.nth(2).locator('a.button');
    expect(await button.innerText()).toBe('Mở ticket');
    expect(await button.getAttribute('href')).toBe('https://tickets.example.com/alpha/7');
    // Readable on a phone: the card fits the screen's width.
    const box = await cards.nth(1).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await page.close();
  });
});
