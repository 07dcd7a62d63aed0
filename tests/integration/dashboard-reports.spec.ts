// The Reports page in a real Chromium against the real server and database, on seeded leads and
// legs: figures and charts drawn, the period kept in the URL, a chart saved as a PNG, a figure
// saved as a CSV and parsed back, and a figure's link opening the lead exceptions behind it.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FAILURE_REASONS } from '@leadline/domain';
import { createCampaign, createUser, seedLeads, seedLegs } from '../factories';
import { launchBrowser, screenshot, signIn } from '../harness/browser';
import { ADMIN, eventually, startServer, TestServer } from '../harness/server';

describe('reports page (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    const admin = await server.login();
    const orgId = (await server.request('GET', '/api/org', { token: admin })).body.id;
    await server.request('PATCH', '/api/org', { token: admin, body: { timeZone: 'America/Chicago' } });
    const ann = await createUser(server, admin, { name: 'Ann Reporter' });
    const campaign = (await createCampaign(server, admin, { name: 'Charted', leadProvider: 'Zillow' })).id;
    const [won] = await seedLeads(server, orgId, [
      { campaignId: campaign, leadProvider: 'Zillow', createdAt: '2025-03-07T15:00:00Z', status: 'assigned', via: 'ring_all', agentId: ann.id, ringMs: 300, takenMs: 6_000, answeredMs: 20_000 },
      { campaignId: campaign, leadProvider: 'Zillow', createdAt: '2025-03-07T16:00:00Z', status: 'exception', failureReason: FAILURE_REASONS.noAgentsAnswered, ringMs: 400 },
      { campaignId: campaign, leadProvider: 'Zillow', createdAt: '2025-03-08T16:00:00Z', status: 'exception', failureReason: FAILURE_REASONS.noAgentsAnswered, ringMs: 500 },
    ]);
    await seedLegs(server, orgId, [{ purpose: 'ring_all_agent', prospectId: won, userId: ann.id, startedAt: '2025-03-07T15:00:00.300Z', answeredMs: 4_000, result: 'won' }]);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page = await signIn(context, server.url, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('draws the speed report for the period in the URL and saves a chart as PNG and a figure as CSV', async () => {
    await page.goto(`${server.url}/reports?from=2025-03-07&to=2025-03-08`);
    await page.getByTestId('report-period').getByText('2025-03-07 to 2025-03-08').waitFor();
    const stages = page.getByRole('table', { name: 'Speed to lead per stage' });
    await expect(stages.getByRole('row').filter({ hasText: 'Taken' }).textContent()).resolves.toMatch(/Taken\s*1\s*6\.5 s/);
    // The histogram is an SVG chart whose axes name their units.
    const histogram = page.getByRole('figure', { name: 'Speed to lead: distribution' });
    await eventually(async () => {
      const titles = await histogram.locator('.recharts-label').allTextContents();
      return titles.includes('leads') && titles.includes('time from accepted');
    });
    await screenshot(page, 'reports-speed');

    const [png] = await Promise.all([page.waitForEvent('download'), histogram.getByRole('button', { name: /as PNG/ }).click()]);
    expect(png.suggestedFilename()).toBe('speed-to-lead-histogram.png');
    expect(readFileSync((await png.path())!).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const byDay = page.getByRole('figure', { name: 'Speed to lead by day (taken)' });
    const [csv] = await Promise.all([page.waitForEvent('download'), byDay.getByRole('button', { name: /as CSV/ }).click()]);
    const rows = parse(readFileSync((await csv.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.day, r.leads, r.taken, r.takenP50Ms])).toEqual([['2025-03-07', '2', '1', '6500'], ['2025-03-08', '1', '0', '']]);
  });

  it('links an exception figure to the lead exceptions behind it', async () => {
    await page.goto(`${server.url}/reports?from=2025-03-07&to=2025-03-08&tab=outcomes`);
    const outcomes = page.getByRole('table', { name: 'Leads by outcome' });
    await outcomes.getByRole('row').filter({ hasText: 'Exception: No agents answered the call' }).getByRole('link', { name: '2' }).click();
    await page.waitForURL(/\/lead-exceptions\?/);
    const list = page.getByRole('table', { name: 'Lead exceptions' });
    await list.locator('tbody tr').filter({ hasText: 'No agents answered the call' }).nth(1).waitFor();
    await expect(list.locator('tbody tr').filter({ hasText: 'Seed Lead' }).count()).resolves.toBe(2);
    await screenshot(page, 'reports-exceptions-link');
  });
});
