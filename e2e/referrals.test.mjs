// Referrals: a caseworker at the municipality refers a woman to Hela
// Människan (refused until the consent she gives now is recorded with it),
// its caseworker finds it in her day, accepts it, enrols her and records
// the start; the referrer's day shows the outcome. axe (WCAG 2.0/2.1 A and
// AA) on every page, in Swedish and in English.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CASEWORKER,
  assertNoAxeViolations,
  launchBrowser,
  newPage,
  registerParticipant,
  signIn,
  textOf,
  visit,
  submitForm,
} from './lib/harness.mjs';

const HM_CASEWORKER = 'handledare@helamanniskan.example';


/** Follows the link named `name` to a page whose path matches `path`. */
async function follow(page, name, path) {
  await Promise.all([
    page.waitForURL((u) => path.test(u.pathname)),
    page.locator('main').getByRole('link', { name, exact: true }).first().click(),
  ]);
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a referral from the municipality is accepted, she is enrolled, the referrer sees it; axe clean', async () => {
  const coach = await newPage(browser);
  await signIn(coach, CASEWORKER);
  const her = await registerParticipant(coach, { given_name: 'Remissa' });

  await visit(coach, her.path);
  await follow(coach, 'Remisser', /\/referrals$/);
  await assertNoAxeViolations(coach, 'her referrals');
  await follow(coach, 'Ny remiss', /\/referrals\/new$/);
  await assertNoAxeViolations(coach, 'the referral form');
  await coach.locator('#f-to_organisation_id').selectOption({ label: 'Hela Människan' });
  await coach.locator('#f-purpose').selectOption('assessment');
  await coach.locator('#f-reason').fill('Vill komma vidare mot arbete och träna svenska.');
  await coach.locator('#f-asked').fill('Ett första samtal och arbetsträning om det passar.');
  const formPath = `${her.path}/referrals/new`;
  // Her sharing consent does not cover Hela Människan yet: refused, and
  // what was written stays.
  let response = await submitForm(coach, coach.locator('main form button[type="submit"]'), formPath);
  assert.equal(response.status(), 422);
  assert.match(await textOf(coach.locator('.error-summary')), /samtycke till informationsdelning/);
  assert.equal(
    await coach.locator('#f-reason').inputValue(),
    'Vill komma vidare mot arbete och träna svenska.',
  );
  await assertNoAxeViolations(coach, 'the referral form with an error');
  await coach.locator('#f-record_consent').check();
  await coach.locator('#f-consent_method').selectOption('signed_paper');
  response = await submitForm(coach, coach.locator('main form button[type="submit"]'), formPath);
  assert.equal(response.status(), 303);
  assert.match(new URL(coach.url()).pathname, /^\/referrals\/\d+$/);
  const referralPath = new URL(coach.url()).pathname;
  assert.match(await textOf(coach.locator('main')), /Remissen är skickad\./);
  assert.match(await textOf(coach.locator('main')), /Skickad/);
  await assertNoAxeViolations(coach, 'a referral just sent');

  // Hela Människan's caseworker finds it in her day.
  const hm = await newPage(browser);
  await signIn(hm, HM_CASEWORKER);
  await visit(hm, '/');
  await assertNoAxeViolations(hm, 'the start page with a worklist');
  await Promise.all([
    hm.waitForURL((u) => u.pathname === '/referrals' && u.searchParams.get('state') === 'waiting'),
    hm.locator('main ul.worklist').getByRole('link', { name: /väntar på ert svar/ }).click(),
  ]);
  await assertNoAxeViolations(hm, 'the referrals waiting for an answer');
  await Promise.all([
    hm.waitForURL((u) => u.pathname === referralPath),
    hm.locator('main table').getByRole('link', { name: her.fullName, exact: true }).click(),
  ]);
  await follow(hm, 'Nästa steg', /\/step$/);
  await assertNoAxeViolations(hm, 'the step form');
  await hm.locator('#f-state').selectOption('accepted');
  response = await submitForm(hm, hm.locator('main form button[type="submit"]'), `${referralPath}/step`);
  assert.equal(response.status(), 303);
  assert.match(await textOf(hm.locator('main')), /Antagen/);

  // Accepting made her one of the caseworker's: she enrols her.
  await visit(hm, `${her.path}/enrolments/new`);
  await hm.locator('#f-intervention_id').selectOption({ label: 'Jobbmatchning' });
  response = await submitForm(hm, hm.locator('main form button[type="submit"]'), `${her.path}/enrolments/new`);
  assert.equal(
    response.status(),
    303,
    `enrolled: ${await hm.locator('.error-summary').allTextContents()}`,
  );
  await visit(hm, `${referralPath}/step`);
  await hm.locator('#f-state').selectOption('started');
  await hm.locator('#f-enrolment_id').selectOption({ label: 'Jobbmatchning (Planerad)' });
  response = await submitForm(hm, hm.locator('main form button[type="submit"]'), `${referralPath}/step`);
  assert.equal(
    response.status(),
    303,
    `started: ${await hm.locator('.error-summary').allTextContents()}`,
  );
  assert.match(await textOf(hm.locator('main')), /Påbörjad/);
  await assertNoAxeViolations(hm, 'a referral that led to a start');

  // The referrer's day shows the answer; the referral its whole way.
  await visit(coach, '/');
  await Promise.all([
    coach.waitForURL((u) => u.pathname === '/referrals' && u.searchParams.get('state') === 'news'),
    coach.locator('main ul.worklist').getByRole('link', { name: /har besvarats/ }).click(),
  ]);
  assert.match(await textOf(coach.locator('main table')), new RegExp(her.fullName));
  assert.match(await textOf(coach.locator('main table')), /Påbörjad/);
  await visit(coach, referralPath);
  const steps = await textOf(coach.locator('main'));
  for (const state of ['Skickad', 'Antagen', 'Påbörjad']) assert.match(steps, new RegExp(state));
  assert.equal(await coach.getByRole('link', { name: 'Nästa steg', exact: true }).count(), 0, 'the referrer does not answer');

  // Her inbox tells the same, with no woman named; a message opens the
  // referral. Her own sessions and her reminder choices.
  await Promise.all([
    coach.waitForURL((u) => u.pathname === '/inbox'),
    coach.locator('header nav').getByRole('link', { name: /Inkorg/ }).click(),
  ]);
  const inbox = await textOf(coach.locator('main'));
  assert.match(inbox, /Hela Människan har svarat på remiss \d+: Påbörjad\./);
  assert.doesNotMatch(inbox, new RegExp(her.fullName));
  await assertNoAxeViolations(coach, 'the inbox');
  await Promise.all([
    coach.waitForURL((u) => u.pathname === referralPath),
    coach.locator('main table').getByRole('button', { name: 'Öppna' }).first().click(),
  ]);
  for (const path of ['/my-sessions', '/account/reminders']) {
    await visit(coach, path);
    await assertNoAxeViolations(coach, path);
  }

  // The same pages in English.
  await visit(coach, `/lang/en?back=${encodeURIComponent(referralPath)}`);
  assert.match(await textOf(coach.locator('main')), /Started/);
  await assertNoAxeViolations(coach, 'a referral in English');
  for (const path of ['/', '/referrals?side=outgoing', '/referral-routines', `${her.path}/referrals/new`, '/inbox', '/my-sessions', '/account/reminders']) {
    await visit(coach, path);
    await assertNoAxeViolations(coach, `${path} in English`);
  }
  await coach.context().close();
  await hm.context().close();
});
