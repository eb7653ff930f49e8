// The dashboard as a coordinator uses it: Tillväxt Kvinna's goals and
// figures, a figure followed to the participants behind it, the goals form
// with an error; axe finds no WCAG 2.1 A/AA violation on any of them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  COORDINATOR,
  assertNoAxeViolations,
  launchBrowser,
  newPage,
  signIn,
  textOf,
  visit,
} from './lib/harness.mjs';

let browser;
let page;
before(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, COORDINATOR);
});
after(async () => {
  await browser?.close();
});

/** Open Tillväxt Kvinna's dashboard from the start page. */
async function openDashboard() {
  await visit(page, '/');
  await page
    .locator('section.card', { hasText: 'Tillväxt Kvinna' })
    .getByRole('link', { name: /Mål och uppföljning/ })
    .click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('h1')), /Tillväxt Kvinna/);
}

test('the dashboard shows the seeds\' figures, charts and goals', async () => {
  await openDashboard();
  const figures = await textOf(page.locator('dl.dash-figures'));
  assert.match(figures, /Inskrivna\s*267\s*\(74\s*% av målet 360\)/);
  assert.match(figures, /Avslutade\s*247/);
  assert.match(figures, /17\s*%\s*\(42 av 247\)/);
  const goals = await textOf(page.locator('main table').first());
  assert.match(goals, /≥ 360/);
  assert.match(goals, /≥ 20\s*%/);
  assert.ok((await page.locator('svg.chart[role="img"]').count()) >= 4, 'the charts are there');
  assert.ok(
    (await page.getByRole('heading', { name: 'Tid till arbete eller studier' }).count()) === 1,
    'the time-to-job-or-studies curve has its heading',
  );
  await assertNoAxeViolations(page, 'the project dashboard');
});

test('a figure opens the participants behind it', async () => {
  await openDashboard();
  await page
    .locator('dl.dash-figures div', { hasText: 'Andel till arbete eller studier' })
    .first()
    .getByRole('link')
    .click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('h1')), /Deltagarna bakom: Andel till arbete eller studier/);
  const rows = await page.locator('main table tbody tr').count();
  assert.ok(rows > 0 && rows <= 25, `one page of women who went to job or studies (${rows})`);
  await assertNoAxeViolations(page, 'the list behind a figure');
  // Each row leads to her record.
  await page.locator('main table tbody tr a').first().click();
  await page.waitForLoadState('load');
  assert.match(page.url(), /\/participants\/\d+$/);
});

test('the breakdown and the goals form, with an error', async () => {
  await openDashboard();
  await page.locator('#bd-by').selectOption('age_group');
  await page.locator('#bd-indicator').selectOption('share_job_or_studies');
  await page.getByRole('button', { name: 'Visa' }).click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('#breakdown-h + form + table caption')), /Andel till arbete eller studier efter åldersgrupp/);
  await assertNoAxeViolations(page, 'the dashboard with a breakdown');

  await page.getByRole('link', { name: 'Sätt eller ta bort mål' }).click();
  await page.waitForLoadState('load');
  await page.locator('#f-indicator, select[name="indicator"]').first().selectOption('share_studies');
  await page.locator('input[name="target"]').fill('150');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('main')), /Ange en andel mellan 0 och 100 procent/);
  assert.equal(await page.locator('input[name="target"]').inputValue(), '150', 'the entered value stays');
  await assertNoAxeViolations(page, 'the goals form with an error');
});

test('curves per cohort, attendance by intervention and the share over time against the goal', async () => {
  await openDashboard();
  const figures = await textOf(page.locator('dl.dash-figures'));
  assert.match(figures, /Närvaro\s*\d+(,\d)?\s*%\s*\(\d+ av \d+ tillfällen\)/);
  assert.match(figures, /Andel med handlingsplan inom 30 dagar/);
  assert.equal(
    await page.getByRole('heading', { name: 'Andel till arbete eller studier över tid mot målet' }).count(),
    1,
  );
  await page.locator('#bd-by').selectOption('intake_month');
  await page.locator('#bd-indicator').selectOption('attendance_rate');
  await page.getByRole('button', { name: 'Visa' }).click();
  await page.waitForLoadState('load');
  const cohorts = page.getByRole('heading', { name: /Tid till arbete eller studier efter inskrivningsår/i });
  assert.equal(await cohorts.count(), 1, 'one curve per intake year');
  assert.ok((await page.locator('svg#survival-by-chart, svg[aria-labelledby^="survival-by-chart"]').count()) === 1);
  await assertNoAxeViolations(page, 'the dashboard with cohort curves');

  await page.locator('#bd-by').selectOption('intervention');
  await page.getByRole('button', { name: 'Visa' }).click();
  await page.waitForLoadState('load');
  const table = await textOf(page.locator('#breakdown-h + form + table'));
  assert.match(table, /Språkträning i svenska – språkcafé/);
  await page.locator('#breakdown-h + form + table tbody tr a').first().click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('h1')), /Deltagarna bakom: Närvaro · Insats/);
  await assertNoAxeViolations(page, 'the participants of one intervention');
});

test('axe: the partnership dashboard', async () => {
  await visit(page, '/dashboard');
  assert.match(await textOf(page.locator('h1')), /hela partnerskapet/);
  await assertNoAxeViolations(page, 'the partnership dashboard');
});

test('axe: the follow-ups due, a participant\'s follow-ups and the form', async () => {
  await visit(page, '/follow-ups');
  assert.match(await textOf(page.locator('h1')), /Uppföljningar att göra/);
  await assertNoAxeViolations(page, 'the follow-ups due');
  // The demo's women all ended by 2021: their follow-ups are done or
  // closed as not reached. Open one who ended.
  await visit(page, '/participants?status=ended');
  const her = await page.locator('main table tbody tr a[href^="/participants/"]').first().getAttribute('href');
  await visit(page, `${her}/follow-ups`);
  assert.match(await textOf(page.locator('h1')), /Uppföljning efter avslut/);
  await assertNoAxeViolations(page, 'a participant\'s follow-ups');
  await page.locator('main table tbody tr a').first().click();
  await page.waitForLoadState('load');
  const record = page.locator('main form').first();
  await record.locator('input[name="done_on"]').fill('2099-01-01');
  await record.locator('button[type="submit"]').click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('main')), /Datumet får inte ligga i framtiden/);
  await assertNoAxeViolations(page, 'the follow-up form with errors');
});

test('axe: a follow-up closed as not reached, with an error first', async () => {
  await visit(page, '/participants?status=ended');
  const women = await page
    .locator('main table tbody tr a[href^="/participants/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  // Find one whose follow-up is not done (open or not reached).
  let form = null;
  for (const her of women.slice(0, 25)) {
    if (form) break;
    await visit(page, `${her}/follow-ups`);
    const open = page.locator('main table tbody tr', { hasText: /Kunde inte nås|Inte gjord/ }).first();
    if ((await open.count()) > 0) form = await open.locator('a').first().getAttribute('href');
  }
  assert.ok(form, 'an ended woman with a follow-up not done');
  await visit(page, form);
  const notReached = page.locator('form[action$="/not-reached"]');
  await notReached.locator('input[name="tried_on"]').fill('2099-01-01');
  await notReached.locator('button[type="submit"]').click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('main')), /Datumet får inte ligga i framtiden/);
  await assertNoAxeViolations(page, 'the not-reached form with errors');
  await page.locator('form[action$="/not-reached"] input[name="tried_on"]').fill('2026-01-15');
  await page.locator('form[action$="/not-reached"] button[type="submit"]').click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('main')), /Uppföljningen är markerad: kunde inte nås/);
  assert.match(await textOf(page.locator('main table')), /Kunde inte nås \(2026-01-15\)/);
  await assertNoAxeViolations(page, 'a participant\'s follow-ups with one not reached');
});

test('a self-assessment: the form with an error, then saved and listed', async () => {
  await visit(page, '/participants');
  await page.locator('main table tbody tr a').first().click();
  await page.waitForLoadState('load');
  await page.getByRole('link', { name: 'Självskattning' }).click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('h1')), /Självskattning/);
  await assertNoAxeViolations(page, 'her self-assessments');
  const rowsBefore = await page.locator('main table tbody tr').count();
  await page.getByRole('link', { name: 'Ny självskattning' }).click();
  await page.waitForLoadState('load');
  await page.getByLabel('Jag kan göra mig förstådd på svenska i vardagen').selectOption('4');
  await page.locator('main form button[type="submit"]').click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('main')), /Fältet måste fyllas i/);
  assert.equal(
    await page.getByLabel('Jag kan göra mig förstådd på svenska i vardagen').inputValue(),
    '4',
    'the chosen score stays',
  );
  await assertNoAxeViolations(page, 'the self-assessment form with errors');
  for (const label of [
    'Jag mår bra och orkar med mina dagar',
    'Jag tror på min förmåga att nå mina mål',
    'Jag vet vilket arbete eller vilka studier jag vill till och hur jag kommer dit',
    'Jag har människor omkring mig som stöttar mig',
    'Jag klarar min vardag, till exempel ekonomi och kontakter med myndigheter',
  ]) {
    await page.getByLabel(label).selectOption('3');
  }
  await page.locator('main form button[type="submit"]').click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('h1')), /Självskattning/);
  assert.equal(await page.locator('main table tbody tr').count(), rowsBefore + 1);
});

test('axe: a funder report', async () => {
  await openDashboard();
  await page.getByRole('link', { name: 'Slutrapport' }).click();
  await page.waitForLoadState('load');
  assert.match(await textOf(page.locator('main')), /267/);
  await assertNoAxeViolations(page, 'the final report');
});

test('the start page on the demo\'s day: the project running now and today\'s work', async () => {
  await visit(page, '/');
  // Vidare mot arbete runs around the demo's day: thirty women taken in so
  // far against its target of 40.
  const running = page.locator('section.card', { has: page.getByRole('heading', { name: 'Vidare mot arbete', exact: true }) });
  assert.equal(await running.count(), 1, 'a card for the running project');
  assert.match(await textOf(running), /30/, 'its thirty women');
  // Tillväxt Kvinna keeps the seeds' figures.
  const tk = page.locator('section.card', { has: page.getByRole('heading', { name: 'Tillväxt Kvinna', exact: true }) });
  const tkText = await textOf(tk);
  for (const n of ['267', '247', '42']) assert.ok(tkText.includes(n), `${n} in ${tkText}`);
  // Today's work is there, and none of it is years old.
  const work = page.locator('main .worklist a[href]');
  assert.ok((await work.count()) > 0, 'the worklist has items today');
  const today = await textOf(page.locator('main .worklist'));
  assert.doesNotMatch(today, /20(19|20|21|22)-\d\d-\d\d/, 'nothing on the worklist dates from the seeds\' years');
  await page.screenshot({ path: '../target/start-page-demo-day.png', fullPage: true });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(`start page on ${new Date().toISOString().slice(0, 10)}: ${height} px (target/start-page-demo-day.png)`);
});
