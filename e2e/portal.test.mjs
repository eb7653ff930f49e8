// The participant portal in the browser: she signs in with her login name,
// reads her plan in Arabic (right to left), withdraws a consent and
// confirms a month; axe finds nothing on every portal page in all seven
// languages, and no page scrolls sideways at 320 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PASSWORD, assertNoAxeViolations, launchBrowser, submitForm, textOf, visit } from './lib/harness.mjs';

const LANGS = ['sv', 'sv-easy', 'en', 'ar', 'so', 'ti', 'prs'];
const PAGES = ['/portal', '/portal/plan', '/portal/schedule', '/portal/time', '/portal/consents', '/portal/assessment', '/portal/data'];

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function phone(width = 320) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'ar',
    viewport: { width, height: 700 },
  });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

async function signInToPortal(page, login) {
  await visit(page, '/portal/login');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(PASSWORD);
  await submitForm(page, page.locator('main form button[type="submit"]'), '/portal/login');
  assert.equal(new URL(page.url()).pathname, '/portal', 'signed in, on her start page');
}

async function assertNoSideScroll(page, label) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${label}: ${scroll} px wide in a ${client} px window`);
}

test('axe and 320 px on every portal page in all seven languages', async () => {
  const page = await phone();
  await visit(page, '/portal/login');
  await assertNoAxeViolations(page, 'the portal sign-in');
  await assertNoSideScroll(page, 'the portal sign-in');
  await visit(page, '/portal/invite');
  await assertNoAxeViolations(page, 'the invitation code page');
  await signInToPortal(page, 'DEMOSO');
  for (const lang of LANGS) {
    await visit(page, `/portal/lang/${lang}?back=/portal`);
    for (const path of PAGES) {
      await visit(page, path);
      const dir = await page.locator('html').getAttribute('dir');
      assert.equal(dir, lang === 'ar' || lang === 'prs' ? 'rtl' : 'ltr', `${lang} ${path}: direction`);
      await assertNoAxeViolations(page, `${path} in ${lang}`);
      await assertNoSideScroll(page, `${path} in ${lang}`);
    }
  }
  await page.context().close();
});

test('she reads her plan in Arabic, withdraws a consent and confirms a month', async () => {
  const page = await phone(390);
  await signInToPortal(page, 'DEMOAR');
  await visit(page, '/portal/plan');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await textOf(page.locator('main h1')), 'خطتي');
  // Right to left: the heading's right edge lies at the content's right.
  const box = await page.locator('main h1').boundingBox();
  const main = await page.locator('main').boundingBox();
  assert.ok(box.x + box.width > main.x + main.width - 40, 'the heading starts at the right');
  await page.screenshot({ path: '../target/portal-plan-ar.png', fullPage: true });

  await visit(page, '/portal/consents');
  const before = await page.locator('main form button').count();
  assert.ok(before > 0, 'a consent she can withdraw');
  const withdrawPath = new URL(await page.locator('main form').first().getAttribute('action'), 'http://x').pathname;
  await submitForm(page, page.locator('main form button').first(), withdrawPath);
  // She is asked first, in her language; her yes takes it back.
  assert.equal(await page.locator('main form input[name="confirm"]').count(), 1, 'she is asked first');
  await assertNoAxeViolations(page, 'the question before a withdrawal');
  await submitForm(page, page.locator('main form button').first(), withdrawPath);
  assert.match(new URL(page.url()).search, /done=withdrawn/);
  assert.equal(await page.locator('main form button').count(), before - 1, 'one fewer to withdraw');
  await assertNoAxeViolations(page, 'her consents after a withdrawal');

  await visit(page, '/portal/time');
  const confirm = page.locator('main form button').first();
  assert.ok((await confirm.count()) > 0, 'a month to confirm');
  const action = await page.locator('main form').first().getAttribute('action');
  await submitForm(page, confirm, action);
  assert.match(new URL(page.url()).search, /done=confirmed/);
  assert.equal(await page.locator('main [role="status"]').count(), 1, 'the confirmation is said');
  await page.context().close();
});

test('with her invitation she makes a passkey (virtual authenticator) and signs in with it', async () => {
  // Her caseworker makes the invitation.
  const { signIn, searchParticipants } = await import('./lib/harness.mjs');
  const staff = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 } });
  const desk = await staff.newPage();
  await signIn(desk, 'handledare@helamanniskan.example');
  // Salma Idris is the demo's DEMOAR: her caseworker invites her again.
  await searchParticipants(desk, 'Salma Idris');
  const record = await desk.locator('main table a[href^="/participants/"]').first().getAttribute('href');
  await visit(desk, `${record}/portal`);
  await submitForm(desk, desk.locator('main form button[type="submit"]').last(), `${record}/portal`);
  const code = await textOf(desk.locator('.invitation-code'));
  const login = await textOf(desk.locator('.invitation dl code').nth(1));
  assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await staff.close();

  // WebAuthn needs a secure context with a domain: localhost, not an IP.
  const site = BASE_URL.replace('127.0.0.1', 'localhost');
  const context = await browser.newContext({ baseURL: site, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await visit(page, `/portal/invite?code=${code.replace(/-/g, '')}`);
  await submitForm(page, page.locator('main form button[name="step"]'), '/portal/invite');
  const make = page.locator('button[data-passkey="setup"]');
  assert.ok(await make.isVisible(), 'the passkey button is offered');
  await assertNoAxeViolations(page, 'the invitation with passkey and password');
  await Promise.all([page.waitForURL((u) => u.pathname === '/portal'), make.click()]);
  assert.match(new URL(page.url()).search, /done=welcome/);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1, 'one passkey on her phone');

  // Signed out, she signs in again with the passkey alone.
  await submitForm(page, page.locator('button.portal-out'), '/portal/logout');
  assert.equal(new URL(page.url()).pathname, '/portal/login');
  await page.locator('#login').fill(login);
  const signInWithKey = page.locator('button[data-passkey="sign-in"]');
  await Promise.all([page.waitForURL((u) => u.pathname === '/portal'), signInWithKey.click()]);
  assert.equal(new URL(page.url()).pathname, '/portal');

  // Signed in with her passkey: her plan in Arabic, right to left.
  await visit(page, '/portal/lang/ar?back=/portal/plan');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  assert.equal(await textOf(page.locator('main h1')), 'خطتي');
  await page.screenshot({ path: '../target/portal-passkey-plan-ar.png', fullPage: true });
  // She withdraws a consent and confirms a month.
  await visit(page, '/portal/consents');
  const withdrawals = await page.locator('main form[action$="/withdraw"] button').count();
  assert.ok(withdrawals > 0, 'a consent she can withdraw');
  const withdrawAction = await page.locator('main form[action$="/withdraw"]').first().getAttribute('action');
  await submitForm(page, page.locator('main form[action$="/withdraw"] button').first(), withdrawAction);
  await submitForm(page, page.locator('main form input[name="confirm"] ~ button'), withdrawAction);
  assert.match(new URL(page.url()).search, /done=withdrawn/);
  assert.equal(await page.locator('main form[action$="/withdraw"] button').count(), withdrawals - 1);
  await visit(page, '/portal/time');
  const month = page.locator('main form[action^="/portal/time/"]').first();
  assert.ok((await month.count()) > 0, 'a month to confirm');
  await submitForm(page, month.locator('button'), await month.getAttribute('action'));
  assert.match(new URL(page.url()).search, /done=confirmed/);
  await context.close();
});

test('axe: the translations page for staff', async () => {
  const { signIn, COORDINATOR } = await import('./lib/harness.mjs');
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await visit(page, '/translations?lang=ar');
  assert.ok((await page.locator('main table').count()) === 2, 'the summary and the waiting messages');
  await assertNoAxeViolations(page, 'the translations page');
  await context.close();
});
