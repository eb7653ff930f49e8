// Accessibility: axe-core's WCAG 2.0/2.1 level A and AA rules on the pages a
// caseworker uses for intake. Any violation fails the test; the failure lists
// each rule, element and fix hint.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CASEWORKER,
  COORDINATOR,
  PASSWORD,
  assertNoAxeViolations,
  fillIntakeForm,
  launchBrowser,
  newPage,
  registerParticipant,
  searchParticipants,
  signIn,
  submitIntakeForm,
  textOf,
  uniqueFamilyName,
  visit,
} from './lib/harness.mjs';

let browser;
let page; // one signed-in caseworker session for the pages behind the login
before(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, CASEWORKER);
});
after(async () => {
  await browser?.close();
});

test('axe: login page', async () => {
  const anon = await newPage(browser);
  await visit(anon, '/login');
  await assertNoAxeViolations(anon, 'the login page');
  await anon.context().close();
});

test('axe: login page after a failed sign-in', async () => {
  const anon = await newPage(browser);
  await visit(anon, '/login');
  await anon.locator('#email').fill(CASEWORKER);
  await anon.locator('#password').fill('not-the-password');
  await anon.locator('main form button[type="submit"]').click();
  await anon.waitForLoadState('load');
  assert.equal(await anon.locator('main [role="alert"]').count(), 1, 'the sign-in error is shown');
  await assertNoAxeViolations(anon, 'the login page with an error');
  await anon.context().close();
});

test('axe: start page', async () => {
  await visit(page, '/');
  assert.ok((await page.locator('section.card').count()) > 0, 'project cards shown');
  await assertNoAxeViolations(page, 'the start page');
});

test('axe: participants list', async () => {
  await visit(page, '/participants');
  assert.ok((await page.locator('main table a[href^="/participants/"]').count()) > 0, 'participants listed');
  await assertNoAxeViolations(page, 'the participants list');
});

test('axe: participants list, searched by name', async () => {
  await visit(page, '/participants');
  const name = await textOf(page.locator('main table a[href^="/participants/"]').first());
  assert.ok(name.length > 0, 'a participant to search for');
  assert.match(await searchParticipants(page, name), /^[1-9]\d* deltagare$/);
  await assertNoAxeViolations(page, 'the participants list after a search');
});

test('axe: participants list, searched with no results', async () => {
  await visit(page, '/participants');
  assert.equal(await searchParticipants(page, uniqueFamilyName('ingen')), '0 deltagare');
  await assertNoAxeViolations(page, 'the participants list with no results');
});

test('axe: intake form, empty', async () => {
  await visit(page, '/participants/new');
  await assertNoAxeViolations(page, 'the empty intake form');
});

test('axe: intake form with errors', async () => {
  await visit(page, '/participants/new');
  await fillIntakeForm(page, {
    given_name: '',
    family_name: uniqueFamilyName('fel'),
    identity_number: '19121212-1213',
  });
  const response = await submitIntakeForm(page);
  assert.equal(response.status(), 422);
  assert.equal(await page.locator('div.error-summary').count(), 1, 'the error summary is shown');
  assert.ok((await page.locator('p.error').count()) >= 2, 'field errors are shown');
  await assertNoAxeViolations(page, 'the intake form with errors');
});

test('axe: participant page of a newly registered participant', async () => {
  const { path, fullName } = await registerParticipant(page);
  assert.equal(new URL(page.url()).pathname, path);
  assert.equal(await textOf(page.locator('h1')), fullName);
  await assertNoAxeViolations(page, 'a newly registered participant’s page');
});

test('axe: participant page of an active participant with history', async () => {
  await visit(page, '/participants?status=active');
  const first = page.locator('main table a[href^="/participants/"]').first();
  assert.ok((await first.count()) === 1, 'the demo data has an active participant');
  const href = await first.getAttribute('href');
  await visit(page, href);
  await assertNoAxeViolations(page, `an active participant’s page (${href})`);
});

test('axe: the edit and status-change forms of a participant', async () => {
  const { path } = await registerParticipant(page);
  for (const sub of ['edit', 'status/start', 'status/exit']) {
    await visit(page, `${path}/${sub}`);
    await assertNoAxeViolations(page, `${path}/${sub}`);
  }
});

test('axe: two-step verification set-up, with a wrong password and a wrong code', async () => {
  await visit(page, '/account/second-factor');
  assert.equal(await page.locator('main code.secret').count(), 1, 'the key is shown');
  await assertNoAxeViolations(page, 'the two-step verification page');
  // Her password is asked again before the second factor is turned on.
  await page.getByLabel('Ditt lösenord (igen)').fill('inte-mitt-lösenord');
  await page.locator('#code').fill('123456');
  await page.locator('main form button[type="submit"]').first().click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('#password[aria-invalid="true"]').count(), 1, 'the password is marked wrong');
  await assertNoAxeViolations(page, 'the two-step verification page with a wrong password');
  await page.getByLabel('Ditt lösenord (igen)').fill(PASSWORD);
  await page.locator('#code').fill('12345');
  await page.locator('main form button[type="submit"]').first().click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('#code[aria-invalid="true"]').count(), 1, 'the code is marked wrong');
  await assertNoAxeViolations(page, 'the two-step verification page with an error');
});

test('axe: the pages of trustworthy records: own password, tokens, project edit, handover, log review, retention', async () => {
  await visit(page, '/account/password');
  assert.equal(await page.locator('main input[type="password"]').count(), 3, 'current and new password, twice');
  await assertNoAxeViolations(page, 'the change-password page');
  await visit(page, '/tokens');
  await assertNoAxeViolations(page, 'the API tokens page');
  await page.locator('#name').fill('   '); // passes the browser's check, not the server's
  await page.locator('main form button[type="submit"]').first().click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('#name[aria-invalid="true"]').count(), 1, 'a token needs a name');
  await assertNoAxeViolations(page, 'the API tokens page with an error');

  const coordinator = await newPage(browser);
  await signIn(coordinator, COORDINATOR);
  await visit(coordinator, '/projects');
  await assertNoAxeViolations(coordinator, 'the projects with their edit links');
  await visit(coordinator, '/projects/1/edit');
  assert.equal(await coordinator.locator('#f-end_date').inputValue(), '2021-10-31', 'the form holds the project');
  await assertNoAxeViolations(coordinator, 'the project form');
  await visit(coordinator, '/participants?status=active');
  const hrefs = await coordinator
    .locator('main table a[href^="/participants/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  let handover = null;
  for (const href of hrefs.slice(0, 10)) {
    await visit(coordinator, href);
    const link = coordinator.locator(`main a[href="${href}/handover"]`);
    if ((await link.count()) > 0) {
      handover = `${href}/handover`;
      break;
    }
  }
  assert.ok(handover, 'a participant of her organisation offers "Flytta ansvar"');
  await visit(coordinator, handover);
  await assertNoAxeViolations(coordinator, 'the handover form');
  await visit(coordinator, '/audit/review');
  await assertNoAxeViolations(coordinator, 'the log review');
  await coordinator.context().close();

  // The municipality's coordinator attests a month of its time from her day.
  const kommun = await newPage(browser);
  await signIn(kommun, 'samordnare@botkyrka.example');
  await Promise.all([
    kommun.waitForURL((u) => u.pathname === '/time-attestation'),
    kommun.locator('main ul.worklist').getByRole('link', { name: /väntar på attestering/ }).click(),
  ]);
  await assertNoAxeViolations(kommun, 'the months to attest');
  await Promise.all([
    kommun.waitForURL((u) => u.searchParams.get('done') === 'attested'),
    kommun.locator('main table').getByRole('button', { name: /^Attestera / }).first().click(),
  ]);
  assert.match(await kommun.locator('main').innerText(), /Månaden är attesterad\./);
  await assertNoAxeViolations(kommun, 'a month attested');
  await kommun.context().close();

  const admin = await newPage(browser);
  await signIn(admin, 'admin@helamanniskan.example');
  await visit(admin, '/admin/retention');
  assert.ok((await admin.locator('main form').count()) >= 2, 'the policy form and the run');
  await assertNoAxeViolations(admin, 'the retention page');
  await visit(admin, '/admin/users');
  await assertNoAxeViolations(admin, 'the users with their roles');
  await admin.context().close();
});

test('the axe check itself fails on a known violation (control)', async () => {
  await visit(page, '/participants/new');
  // An input with no label and an image with no text alternative.
  await page.evaluate(() => {
    const main = document.querySelector('main');
    main.insertAdjacentHTML('beforeend', '<input type="text" id="e2e-unlabelled"><img src="data:," id="e2e-no-alt">');
  });
  await assert.rejects(
    () => assertNoAxeViolations(page, 'a page with injected violations'),
    (err) => {
      assert.match(err.message, /\blabel\b/, 'reports the unlabelled input');
      assert.match(err.message, /\bimage-alt\b/, 'reports the image without alt');
      assert.match(err.message, /#e2e-unlabelled/, 'names the element');
      return true;
    },
  );
});
