// The Webhooks page in a real Chromium against the real server and a real HTTP receiver: an admin
// creates a subscription and sees its secret once, sends a test delivery and reads it in the
// delivery log, watches a failing delivery get dead-lettered and replays it (all dead-lettered,
// then one); managers do not get the page.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { aLead, createCampaign, createUser, postLead } from '../factories';
import { launchBrowser, newContext, screenshot, signIn } from '../harness/browser';
import { ADMIN, eventually, startServer, TestServer } from '../harness/server';
import { WebhookReceiver } from '../harness/webhook-receiver';

describe('webhooks dashboard (Chromium)', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // A short retry window, so a failing delivery is dead-lettered within the test.
    server = await startServer({ WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_DELAY_MS: '500', WEBHOOK_RETRY_WINDOW_SECONDS: '2' });
    receiver = await WebhookReceiver.start();
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await signIn(context, server.url, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await receiver?.stop();
  });

  const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  const deliveryRows = () => page.getByRole('table', { name: 'Deliveries' }).locator('tr[data-delivery]');

  it('creates a webhook, shows its secret once, and sends a test delivery that the log shows delivered', async () => {
    await nav('Webhooks');
    await page.getByRole('button', { name: 'New webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'New webhook' });
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByLabel('Description').fill('Loan origination system');
    await dialog.getByLabel('call.ended').uncheck();
    await dialog.getByLabel('Timeout (seconds)').fill('2');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();

    const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const row = page.getByRole('table', { name: 'Webhooks' }).getByRole('row').filter({ hasText: receiver.url });
    await expect(row.textContent()).resolves.toContain('lead.accepted, lead.assigned, lead.exception, dial_mode.result, inbound.missed');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);

    await page.getByRole('button', { name: 'Send test' }).click();
    await eventually(() => receiver.accepted.length === 1, 10_000);
    expect(receiver.received[0].json.type).toBe('webhook.test');
    // The secret shown once verifies the delivery, as the receiver would check it.
    expect(receiver.unverified(secret)).toEqual([]);
    // The log refreshes by itself.
    await eventually(async () => (await deliveryRows().first().getByTestId('delivery-status').textContent()) === 'Delivered', 10_000, 200);
    await deliveryRows().first().getByRole('button', { name: 'webhook.test', exact: true }).click();
    const attempts = page.getByRole('table', { name: `Attempts of ${receiver.received[0].json.id}` });
    await expect(attempts.getByRole('row').nth(1).textContent()).resolves.toMatch(/^1.*200\d+ ms/);
    await screenshot(page, 'webhooks-delivered');
  });

  it('dead-letters a failing delivery and replays it from the page (all dead-lettered, then one)', async () => {
    receiver.answer = () => ({ status: 500 });
    const admin = await server.login();
    const campaign = await createCampaign(server, admin, { distributionType: 'none' });
    expect((await postLead(server, campaign, aLead({ FirstName: 'Dee', LastName: 'Letter' }))).body.StatusCode).toBe(1);

    await page.getByLabel('Delivery status').selectOption('dead');
    await eventually(async () => (await deliveryRows().count()) === 1 && (await deliveryRows().first().getByTestId('delivery-status').textContent()) === 'Dead-lettered', 15_000, 200);
    const deadRow = deliveryRows().first();
    await expect(deadRow.textContent()).resolves.toContain('lead.accepted');
    await expect(deadRow.textContent()).resolves.toContain('answered 500');
    const eventId = receiver.received[receiver.received.length - 1].json.id;
    await screenshot(page, 'webhooks-dead-lettered');

    receiver.answer = () => ({ status: 200 });
    await page.getByRole('button', { name: /Replay all dead-lettered \(1\)/ }).click();
    await eventually(() => receiver.accepted.some((r) => r.json.id === eventId), 10_000);
    await page.getByLabel('Delivery status').selectOption('delivered');
    const delivered = deliveryRows().filter({ hasText: eventId });
    await eventually(async () => (await delivered.count()) === 1, 10_000, 200);

    // One delivery replayed again: the same event, once more.
    await delivered.getByRole('button', { name: `Replay lead.accepted ${eventId}` }).click();
    await eventually(() => receiver.accepted.filter((r) => r.json.id === eventId).length === 2, 10_000);
  });

  it('is not offered to managers', async () => {
    const admin = await server.login();
    const manager = await createUser(server, admin, { role: 'manager' });
    const managerContext = await newContext(browser);
    try {
      const managerPage = await signIn(managerContext, server.url, manager.email, manager.password);
      const links = await managerPage.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
      expect(links).toContain('Campaigns');
      expect(links).not.toContain('Webhooks');
    } finally {
      await managerContext.close();
    }
  });
});
