// The dashboard in a real Chromium against the real server: served at `/`, sign-in, role-aware
// navigation, client-side routes that survive a reload, readable login errors.
import type { Browser } from 'playwright-core';
import { launchBrowser, newContext, screenshot, signIn } from '../harness/browser';
import { ADMIN, startServer, TestServer } from '../harness/server';

describe('dashboard shell (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a readable error for a wrong password and signs in with the right one', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/invalid|incorrect|wrong/i);
    await screenshot(page, 'login-error');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await context.close();
  });

  it('shows admins the setup pages and agents only their own', async () => {
    const admin = await server.login();
    const email = `shell-agent-${Date.now()}@it.test`;
    await server.request('POST', '/api/users', { token: admin, body: { name: 'Shell Agent', email, password: 'agent-password-123', role: 'agent' } });

    const adminContext = await newContext(browser);
    const adminPage = await signIn(adminContext, server.url, ADMIN.email, ADMIN.password);
    const adminNav = adminPage.getByRole('navigation', { name: 'Main' });
    for (const label of ['Home', 'Lead exceptions', 'Campaigns', 'Users', 'Organization']) {
      await expect(adminNav.getByRole('link', { name: label, exact: true }).count()).resolves.toBe(1);
    }

    const agentContext = await newContext(browser);
    const agentPage = await signIn(agentContext, server.url, email, 'agent-password-123');
    const agentNav = agentPage.getByRole('navigation', { name: 'Main' });
    await expect(agentNav.getByRole('link', { name: 'Home', exact: true }).count()).resolves.toBe(1);
    for (const label of ['Lead exceptions', 'Campaigns', 'Users', 'Organization']) {
      await expect(agentNav.getByRole('link', { name: label, exact: true }).count()).resolves.toBe(0);
    }
    await adminContext.close();
    await agentContext.close();
  });

  it('keeps a client-side route across a reload while the API keeps its JSON 404', async () => {
    const context = await newContext(browser);
    const page = await signIn(context, server.url, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/campaigns`);
    await expect(page.getByRole('link', { name: 'Campaigns', exact: true }).getAttribute('class')).resolves.toContain('active');
    const api = await page.request.get(`${server.url}/api/no-such-route`);
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    await context.close();
  });
});
