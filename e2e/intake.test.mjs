// Intake: a caseworker registers a participant and finds her again; the form
// reports errors accessibly and keeps what was typed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CASEWORKER,
  CASEWORKER_ORG,
  COORDINATOR,
  fillIntakeForm,
  launchBrowser,
  newPage,
  randomPersonnummer,
  registerParticipant,
  searchParticipants,
  signIn,
  submitIntakeForm,
  textOf,
  uniqueFamilyName,
  visit,
} from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the login page rejects a wrong password and keeps the user signed out', async () => {
  const page = await newPage(browser);
  await visit(page, '/login');
  await page.locator('#email').fill(CASEWORKER);
  await page.locator('#password').fill('not-the-password');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/login', 'stays on the login page');
  const alert = page.locator('main [role="alert"]');
  assert.equal(await textOf(alert), 'Fel e-postadress eller lösenord.', 'says why');
  assert.equal(await page.locator('#email').inputValue(), CASEWORKER, 'keeps the e-mail address');
  // Still signed out: the start page sends us back to the login page.
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/login', 'an anonymous visit to / ends on /login');
  await page.context().close();
});

test('the start page shows the projects with their targets and outcomes', async () => {
  const page = await newPage(browser);
  await signIn(page, COORDINATOR);
  const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Tillväxt Kvinna', exact: true }) });
  assert.equal(await card.count(), 1, 'one card for Tillväxt Kvinna');
  const text = await textOf(card);
  assert.match(text, /Inskrivna\s*267 av 360 \(74 %\)/, `enrolled vs target in: ${text}`);
  assert.match(text, /Avslutade\s*247/, `ended in: ${text}`);
  assert.match(text, /Till arbete eller studier\s*42 \(17 %\)/, `to work or studies in: ${text}`);
  await page.context().close();
});

test('a caseworker registers a participant, then finds her by searching', async () => {
  const page = await newPage(browser);
  await signIn(page, CASEWORKER);

  // The intake form, with the caseworker's organisation preselected and today as intake date.
  await visit(page, '/participants/new');
  assert.equal(await textOf(page.locator('h1')), 'Ny deltagare (inskrivning)');
  const org = page.locator('#f-responsible_organisation_id option:checked');
  assert.equal(await textOf(org), CASEWORKER_ORG, 'responsible organisation preselected');
  assert.match(await page.locator('#f-intake_date').inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'intake date prefilled');
  assert.equal(await page.locator('#f-gender').inputValue(), 'woman', 'gender defaults to woman');

  const familyName = uniqueFamilyName();
  const { id, fullName, path } = await registerParticipant(page, { family_name: familyName });

  // Her page: her name as heading, status "Inskriven".
  assert.equal(await textOf(page.locator('h1')), fullName, 'h1 is her full name');
  assert.equal(await textOf(page.locator('.status-line .badge')), 'Inskriven', 'status badge');
  const profile = await textOf(page.locator('section[aria-labelledby="profile-h"] dl.profile'));
  assert.match(profile, /Ansvarig organisation\s*Botkyrka kommun/, `responsible organisation in: ${profile}`);
  assert.match(profile, /Projekt\s*Ordinarie verksamhet/, `no project (all demo projects have ended): ${profile}`);
  assert.match(profile, /Behöver tolk\s*Ja/, `interpreter in: ${profile}`);

  // Find her again from the list.
  await visit(page, '/participants');
  assert.equal(await searchParticipants(page, fullName), '1 deltagare', 'exactly one hit');
  assert.equal(await page.locator('#q').inputValue(), fullName, 'search box keeps the query');

  const links = page.locator('main table a[href^="/participants/"]');
  assert.equal(await links.count(), 1, 'exactly one participant link in the results');
  assert.equal(await textOf(links), fullName);
  assert.equal(await links.getAttribute('href'), path);

  await Promise.all([page.waitForURL((url) => url.pathname === path), links.click()]);
  assert.equal(await textOf(page.locator('h1')), fullName, 'back on her page');
  assert.equal(await textOf(page.locator('.status-line .badge')), 'Inskriven');
  assert.ok(id > 0);
  await page.context().close();
});

test('the intake form shows an error summary and field errors and keeps the input', async () => {
  const page = await newPage(browser);
  await signIn(page, CASEWORKER);
  await visit(page, '/participants/new');

  const familyName = uniqueFamilyName('fel');
  await fillIntakeForm(page, {
    given_name: '',
    family_name: familyName,
    identity_kind: 'personnummer',
    identity_number: '19121212-1213', // wrong check digit (19121212-1212 is valid)
    country_of_birth: 'Eritrea',
    referral_source: 'self',
  });
  const response = await submitIntakeForm(page);
  assert.equal(response.status(), 422, 'invalid input answers 422');
  assert.equal(new URL(page.url()).pathname, '/participants/new', 'stays on the form');

  // The summary, announced and linking to each field in error.
  const summary = page.locator('div.error-summary');
  assert.equal(await summary.count(), 1, 'one error summary');
  assert.equal(await summary.getAttribute('role'), 'alert');
  const summaryLinks = summary.locator('a');
  const hrefs = await summaryLinks.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.includes('#f-given_name'), `summary links to the given name: ${hrefs}`);
  assert.ok(hrefs.includes('#f-identity_number'), `summary links to the identity number: ${hrefs}`);

  // Per-field messages, tied to their inputs.
  for (const name of ['given_name', 'identity_number']) {
    const input = page.locator(`#f-${name}`);
    const error = page.locator(`#f-${name}-error`);
    assert.equal(await error.count(), 1, `a message for ${name}`);
    assert.ok(await error.evaluate((el) => el.matches('p.error')), `${name} message is a p.error`);
    assert.ok((await textOf(error)).length > 0, `${name} message has text`);
    assert.equal(await input.getAttribute('aria-invalid'), 'true', `${name} is aria-invalid`);
    const describedBy = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    assert.ok(describedBy.includes(`f-${name}-error`), `${name} is described by its message`);
  }
  assert.equal(await page.locator('p.error').count(), 2, 'no errors for valid fields');

  // What was typed is kept.
  assert.equal(await page.locator('#f-family_name').inputValue(), familyName);
  assert.equal(await page.locator('#f-identity_number').inputValue(), '19121212-1213');
  assert.equal(await page.locator('#f-country_of_birth').inputValue(), 'Eritrea');
  assert.equal(await page.locator('#f-referral_source').inputValue(), 'self');

  // Following a summary link moves to the field.
  await summary.locator('a[href="#f-given_name"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-given_name', 'focus on the given name');

  // Nothing was registered.
  assert.equal(await searchParticipants(page, familyName), '0 deltagare', 'no participant registered');
  await page.context().close();
});

test('an intake into a project that has ended is refused; ordinary operations is the choice', async () => {
  const page = await newPage(browser);
  await signIn(page, CASEWORKER);
  await visit(page, '/participants/new');
  const familyName = uniqueFamilyName('Projekt');
  await fillIntakeForm(page, {
    given_name: 'Testa',
    family_name: familyName,
    identity_kind: 'personnummer',
    identity_number: randomPersonnummer(),
    country_of_birth: 'Somalia',
    referral_source: 'municipality',
    projects: ['Tillväxt Kvinna'],
  });
  const response = await submitIntakeForm(page);
  assert.equal(response.status(), 422, 'Tillväxt Kvinna ended in 2021');
  const error = page.locator('#f-project_ids-error');
  assert.match(await textOf(error), /avslutats/, 'the message says the project has ended');
  assert.equal(await page.locator('#f-family_name').inputValue(), familyName, 'the input is kept');
  await page.getByRole('group', { name: 'Projekt', exact: true }).getByLabel('Tillväxt Kvinna', { exact: true }).uncheck();
  const saved = await submitIntakeForm(page);
  assert.ok(/^\/participants\/\d+$/.test(new URL(page.url()).pathname), `registered (HTTP ${saved.status()})`);
  await page.context().close();
});

test('typing in the search box filters the list in place, with no name in the URL', async () => {
  const page = await newPage(browser);
  await signIn(page, CASEWORKER);
  const family = uniqueFamilyName('Live');
  await registerParticipant(page, { family_name: family });
  await visit(page, '/participants');
  const before = await textOf(page.locator('#result-count'));
  await page.locator('#q').fill(family);
  // htmx posts the form after a short pause and swaps in the results.
  await page.waitForFunction(
    (previous) => document.querySelector('#result-count')?.textContent.trim() !== previous,
    before,
    { timeout: 10_000 },
  );
  assert.equal(await textOf(page.locator('#result-count')), '1 deltagare');
  assert.equal(await page.locator('#results table a').count(), 1);
  assert.ok(!page.url().includes(family), 'the name stays out of the URL');
  assert.equal(new URL(page.url()).pathname, '/participants');
});
