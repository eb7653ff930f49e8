// The employer registry: a coordinator registers an employer (after a
// refused first try), adds a contact person and offers an internship; a caseworker of another partner
// finds the employer and logs a contact; axe (WCAG 2.0/2.1 A and AA) on every
// page of the registry, in Swedish and in English.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CASEWORKER,
  COORDINATOR,
  assertNoAxeViolations,
  launchBrowser,
  newPage,
  signIn,
  textOf,
  visit,
  submitForm,
} from './lib/harness.mjs';

/** A made-up organisation number with a valid check digit (third digit ≥ 2). */
function orgNumber() {
  const digits = [5, 5, 9, 8];
  while (digits.length < 9) digits.push(Math.floor(Math.random() * 10));
  const sum = digits
    .map((d, i) => (i % 2 === 0 ? d * 2 : d))
    .map((v) => (v > 9 ? v - 9 : v))
    .reduce((a, b) => a + b, 0);
  digits.push((10 - (sum % 10)) % 10);
  const s = digits.join('');
  return `${s.slice(0, 6)}-${s.slice(6)}`;
}


let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a coordinator registers an employer, a caseworker logs a contact; axe clean in sv and en', async () => {
  const coordinator = await newPage(browser);
  await signIn(coordinator, COORDINATOR);
  await visit(coordinator, '/');
  await Promise.all([
    coordinator.waitForURL((u) => u.pathname === '/employers'),
    coordinator.locator('nav').getByRole('link', { name: 'Arbetsgivare', exact: true }).click(),
  ]);
  await assertNoAxeViolations(coordinator, 'the employer list');

  await Promise.all([
    coordinator.waitForURL((u) => u.pathname === '/employers/new'),
    coordinator.getByRole('link', { name: 'Ny arbetsgivare', exact: true }).click(),
  ]);
  await assertNoAxeViolations(coordinator, 'the new employer form');
  const number = orgNumber();
  const name = `Kassa och Kaffe ${number.slice(7)} AB`;
  await coordinator.locator('#f-name').fill(name);
  // A number with a wrong check digit is refused; what was typed stays.
  const wrong = number.slice(0, 10) + ((Number(number.slice(10)) + 1) % 10);
  await coordinator.locator('#f-org_number').fill(wrong);
  await coordinator.locator('#f-industry').selectOption('I');
  const submit = coordinator.locator('main form button[type="submit"]');
  let response = await submitForm(coordinator, submit, '/employers/new');
  assert.equal(response.status(), 422, 'the wrong number is refused');
  assert.match(await textOf(coordinator.locator('.error-summary')), /Organisationsnumret/);
  assert.equal(await coordinator.locator('#f-name').inputValue(), name, 'the name stays');
  await assertNoAxeViolations(coordinator, 'the new employer form with an error');

  await coordinator.locator('#f-org_number').fill(number.replace('-', ''));
  response = await submitForm(coordinator, coordinator.locator('main form button[type="submit"]'), '/employers/new');
  assert.equal(response.status(), 303);
  assert.match(new URL(coordinator.url()).pathname, /^\/employers\/\d+$/);
  const employerPath = new URL(coordinator.url()).pathname;
  assert.equal(await textOf(coordinator.locator('h1')), name);
  assert.match(await textOf(coordinator.locator('main [role="status"]')), /registrerad/);
  assert.match(await textOf(coordinator.locator('main')), new RegExp(number));
  await assertNoAxeViolations(coordinator, 'an employer page with a confirmation');

  await Promise.all([
    coordinator.waitForURL((u) => u.pathname === `${employerPath}/contacts/new`),
    coordinator.getByRole('link', { name: 'Ny kontaktperson', exact: true }).click(),
  ]);
  await assertNoAxeViolations(coordinator, 'the contact person form');
  await coordinator.locator('#f-name').fill('Mona Exempel');
  await coordinator.locator('#f-title').fill('Butikschef');
  await coordinator.locator('#f-email').fill('mona@kassakaffe.example');
  await submitForm(coordinator, coordinator.locator('main form button[type="submit"]'), `${employerPath}/contacts/new`);
  assert.match(await textOf(coordinator.locator('main')), /Mona Exempel/);

  // An internship offered from the employer's page.
  await visit(coordinator, employerPath);
  await Promise.all([
    coordinator.waitForURL((u) => u.pathname === `${employerPath}/openings/new`),
    coordinator.getByRole('link', { name: 'Nytt erbjudande', exact: true }).click(),
  ]);
  await assertNoAxeViolations(coordinator, 'the new opening form');
  await coordinator.locator('#f-kind').selectOption('internship');
  await coordinator.locator('#f-title').fill('Praktik i kassan');
  await coordinator.locator('#f-ssyk').selectOption('5230');
  await coordinator.locator('#f-places').fill('2');
  await coordinator.locator('#f-hours_per_week').fill('25');
  response = await submitForm(
    coordinator,
    coordinator.locator('main form button[type="submit"]'),
    `${employerPath}/openings/new`,
  );
  assert.equal(response.status(), 303);
  assert.match(new URL(coordinator.url()).pathname, /^\/openings\/\d+$/);
  assert.equal(await textOf(coordinator.locator('h1')), 'Praktik i kassan');
  assert.match(await textOf(coordinator.locator('main')), /Kassapersonal m\.fl\. \(5230\)/);
  await assertNoAxeViolations(coordinator, 'an opening page');
  await visit(coordinator, '/openings?area=sales&kind=internship');
  assert.equal(
    await coordinator.locator('main table').getByRole('link', { name: 'Praktik i kassan', exact: true }).count(),
    1,
    'the new internship in the filtered list',
  );
  await assertNoAxeViolations(coordinator, 'the openings list, filtered');

  // Another partner's caseworker finds it by name and logs a contact.
  const caseworker = await newPage(browser);
  await signIn(caseworker, CASEWORKER);
  await visit(caseworker, '/employers');
  await caseworker.locator('#flt-q').fill('kassa och kaffe');
  await Promise.all([
    caseworker.waitForURL((u) => u.searchParams.get('q') === 'kassa och kaffe'),
    caseworker.locator('form.filters button[type="submit"]').click(),
  ]);
  await Promise.all([
    caseworker.waitForURL((u) => u.pathname === employerPath),
    caseworker.locator('main table').getByRole('link', { name, exact: true }).click(),
  ]);
  assert.equal(await caseworker.getByRole('link', { name: 'Ändra uppgifter', exact: true }).count(), 0, 'no edit link for her');
  await Promise.all([
    caseworker.waitForURL((u) => u.pathname === `${employerPath}/log/new`),
    caseworker.getByRole('link', { name: 'Logga en kontakt', exact: true }).click(),
  ]);
  await assertNoAxeViolations(caseworker, 'the contact log form');
  await caseworker.locator('#f-kind').selectOption('visit');
  await caseworker.locator('#f-contact_person_id').selectOption({ label: 'Mona Exempel' });
  await caseworker.locator('#f-summary').fill('Två praktikplatser i januari.');
  await submitForm(caseworker, caseworker.locator('main form button[type="submit"]'), `${employerPath}/log/new`);
  assert.match(await textOf(caseworker.locator('main')), /Två praktikplatser i januari\./);
  assert.match(await textOf(caseworker.locator('main')), /Kontaktlogg: en kontakt/);

  // Removing the contact person is confirmed on a page of its own.
  await visit(coordinator, employerPath);
  await Promise.all([
    coordinator.waitForURL((u) => u.pathname.endsWith('/remove')),
    coordinator.getByRole('link', { name: 'Ta bort Mona Exempel', exact: true }).click(),
  ]);
  await assertNoAxeViolations(coordinator, 'the removal confirmation');

  // The same pages in English.
  await visit(coordinator, `/lang/en?back=${encodeURIComponent(employerPath)}`);
  assert.match(await textOf(coordinator.locator('main')), /Contact people/);
  await assertNoAxeViolations(coordinator, 'an employer page in English');
  for (const path of ['/employers?inactive=1', '/employers/new', `${employerPath}/edit`, `${employerPath}/log/new`, '/openings', `${employerPath}/openings/new`]) {
    await visit(coordinator, path);
    await assertNoAxeViolations(coordinator, `${path} in English`);
  }
  await coordinator.context().close();
  await caseworker.context().close();
});

test('a caseworker finds a candidate with reasons, presents her, records a placement and its final review; axe clean', async () => {
  const page = await newPage(browser);
  await signIn(page, CASEWORKER);
  // The demo's open cleaning job at Fittja Städservice, which her
  // organisation is responsible for.
  await visit(page, '/openings?area=cleaning');
  await assertNoAxeViolations(page, 'the openings list filtered by area');
  const opening = page.locator('main table').getByRole('link', { name: 'Lokalvårdare, kvällar', exact: true });
  await Promise.all([page.waitForURL((u) => /^\/openings\/\d+$/.test(u.pathname)), opening.click()]);
  const openingPath = new URL(page.url()).pathname;
  await Promise.all([
    page.waitForURL((u) => u.pathname === `${openingPath}/candidates`),
    page.getByRole('link', { name: 'Hitta kandidater', exact: true }).click(),
  ]);
  await assertNoAxeViolations(page, 'the candidates of an opening');
  // Only those she works with have a button to propose them.
  const rows = page.locator('main table tbody tr').filter({ has: page.locator('form') });
  assert.ok((await rows.count()) > 0, 'someone may be proposed');
  assert.match(await textOf(rows.first()), /\(\+1\)|\(\+2\)|\(\+3\)|\(0\)/, 'each row says why, with points');
  let response = await submitForm(page, rows.first().locator('form button'), new URL(
    await rows.first().locator('form').getAttribute('action'),
    page.url(),
  ).pathname);
  assert.equal(response.status(), 303);
  assert.match(new URL(page.url()).pathname, /^\/proposals\/\d+$/);
  const proposalPath = new URL(page.url()).pathname;
  await assertNoAxeViolations(page, 'a proposal');

  for (const stage of ['agreed', 'presented', 'placed']) {
    await visit(page, `${proposalPath}/step`);
    await page.locator('#f-stage').selectOption(stage);
    response = await submitForm(page, page.locator('main form button[type="submit"]'), `${proposalPath}/step`);
    assert.equal(response.status(), 303, `the step to ${stage}`);
  }
  assert.match(await textOf(page.locator('main')), /Placerad/);

  await Promise.all([
    page.waitForURL((u) => u.pathname === `${proposalPath}/placement/new`),
    page.getByRole('link', { name: 'Registrera placeringen', exact: true }).click(),
  ]);
  await assertNoAxeViolations(page, 'the placement form');
  await page.locator('#f-intervention_id').selectOption({ label: 'Praktik hos arbetsgivare' });
  const today = new Date().toISOString().slice(0, 10);
  await page.locator('#f-start_date').fill(today);
  await page.locator('#f-end_date').fill(today);
  response = await submitForm(page, page.locator('main form button[type="submit"]'), `${proposalPath}/placement/new`);
  assert.equal(response.status(), 303, 'the placement is recorded');
  const placementPath = new URL(page.url()).pathname;
  assert.match(placementPath, /^\/placements\/\d+$/);

  await visit(page, `${placementPath}/reviews/new`);
  await assertNoAxeViolations(page, 'the review form');
  await page.locator('#f-kind').selectOption('final');
  for (const score of ['attendance', 'tasks', 'swedish', 'readiness']) {
    await page.locator(`#f-${score}`).selectOption('4');
  }
  await page.locator('#f-comment').fill('Punktlig och noggrann.');
  response = await submitForm(page, page.locator('main form button[type="submit"]'), `${placementPath}/reviews/new`);
  assert.equal(response.status(), 303, 'the review is recorded');
  assert.match(await textOf(page.locator('main')), /Punktlig och noggrann\./);
  await assertNoAxeViolations(page, 'a placement with its review');
  await visit(page, `/lang/en?back=${encodeURIComponent(placementPath)}`);
  assert.match(await textOf(page.locator('main')), /Reviews with the employer/);
  await assertNoAxeViolations(page, 'a placement in English');

  // She ends to a job through the placement: an exit to studies cannot name
  // it, the form says so per field and keeps what was entered; to a job, her
  // record names the employer and the placement.
  const placementId = placementPath.split('/').pop();
  const participantPath = await page.locator('main a[href^="/participants/"]').first().getAttribute('href');
  const exitPath = `${participantPath}/status/exit`;
  await visit(page, exitPath);
  await assertNoAxeViolations(page, 'the exit form in English');
  await page.locator('#f-exit_outcome').selectOption('studies');
  await page.locator('#f-placement_id').selectOption(placementId);
  response = await submitForm(page, page.locator('main form button[type="submit"]'), exitPath);
  assert.equal(response.status(), 422, 'refused');
  assert.match(await textOf(page.locator('main')), /only for an exit to employment/);
  assert.equal(await page.locator('#f-placement_id').inputValue(), placementId, 'the choice is kept');
  await assertNoAxeViolations(page, 'the exit form with an error');
  await page.locator('#f-exit_outcome').selectOption('employment_unsubsidised');
  response = await submitForm(page, page.locator('main form button[type="submit"]'), exitPath);
  assert.equal(response.status(), 303, 'the exit is recorded');
  assert.equal(new URL(page.url()).pathname, participantPath);
  assert.match(await textOf(page.locator('main')), /through the placement Lokalvårdare, kvällar/);
  await visit(page, `/lang/sv?back=${encodeURIComponent(participantPath)}`);
  assert.match(await textOf(page.locator('main')), /via placeringen Lokalvårdare, kvällar/);
  await assertNoAxeViolations(page, 'her record with where she went');
  await page.context().close();
});

