// Shared set-up for palett's browser end-to-end tests.
//
// The tests drive Debian's Chromium through playwright-core against a running
// `palett demo` server. `scripts/e2e` builds and starts that server and sets
// PALETT_E2E_BASE_URL; the tests fail (never skip) when it is missing.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import AxeBuilderModule from '@axe-core/playwright';

// @axe-core/playwright is CommonJS with a default export; depending on how
// Node's ESM interop presents it, the class is either the default or its
// `.default`.
const AxeBuilder = AxeBuilderModule.default ?? AxeBuilderModule;

export const BASE_URL = (() => {
  const url = process.env.PALETT_E2E_BASE_URL;
  if (!url) {
    throw new Error(
      'PALETT_E2E_BASE_URL is not set. Run the browser tests with scripts/e2e, ' +
        'which builds palett, starts `palett demo` and sets it.',
    );
  }
  return url.replace(/\/+$/, '');
})();

export const CHROMIUM_PATH = process.env.PALETT_E2E_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PASSWORD = 'palett-demo-2026';
export const COORDINATOR = 'samordnare@helamanniskan.example';
export const CASEWORKER = 'coach@botkyrka.example';
export const CASEWORKER_NAME = 'Kim Coach';
export const CASEWORKER_ORG = 'Botkyrka kommun';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Launches headless Chromium. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}. Install it with ` +
        '`apt-get update && apt-get install -y chromium` (scripts/e2e does this).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * A fresh context (own cookies) in Swedish, palett's default language. The
 * app picks the UI language from Accept-Language, which follows `locale`.
 */
export async function newPage(browser) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  return page;
}

/** Goes to `path` and asserts the HTTP status of the main document. */
export async function visit(page, path, expectedStatus = 200) {
  const response = await page.goto(path);
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), expectedStatus, `GET ${path}: HTTP status`);
  return response;
}

/** Signs in through the login form and waits for the start page. */
export async function signIn(page, email, password = PASSWORD) {
  await visit(page, '/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/'),
    page.locator('main form button[type="submit"]').click(),
  ]);
  assert.equal(new URL(page.url()).pathname, '/', 'after signing in we land on the start page');
}

/** Text content with runs of whitespace collapsed. */
export async function textOf(locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** A date as YYYY-MM-DD. */
function isoDate(d) {
  return d.toISOString().slice(0, 10);
}

/**
 * A random, valid (Luhn) Swedish personnummer, YYYYMMDD-NNNC, born 1960–1999,
 * so that repeated runs against the same database do not collide with the
 * duplicate check.
 */
export function randomPersonnummer() {
  const start = Date.UTC(1960, 0, 1);
  const end = Date.UTC(1999, 11, 31);
  const birth = new Date(start + Math.floor(Math.random() * (end - start)));
  const ymd = isoDate(birth).replaceAll('-', '');
  const serial = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  const ten = ymd.slice(2) + serial; // YYMMDDNNN: the nine digits the check covers
  let sum = 0;
  for (let i = 0; i < ten.length; i += 1) {
    let d = Number(ten[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  const check = (10 - (sum % 10)) % 10;
  return `${ymd}-${serial}${check}`;
}

/** A name unique to this run and test. */
export function uniqueFamilyName(tag = '') {
  const rand = Math.floor(Math.random() * 1e6).toString(36);
  return `E2E-${Date.now()}${tag ? `-${tag}` : ''}-${rand}`;
}

/**
 * Fills the intake form (already open at /participants/new) for a participant
 * and submits it. Returns the response of the form's POST's final page.
 */
export async function fillIntakeForm(page, fields) {
  const f = (name) => page.locator(`#f-${name}`);
  if (fields.given_name !== undefined) await f('given_name').fill(fields.given_name);
  if (fields.family_name !== undefined) await f('family_name').fill(fields.family_name);
  if (fields.identity_kind !== undefined) await f('identity_kind').selectOption(fields.identity_kind);
  if (fields.identity_number !== undefined) await f('identity_number').fill(fields.identity_number);
  if (fields.birth_date !== undefined) await f('birth_date').fill(fields.birth_date);
  if (fields.gender !== undefined) await f('gender').selectOption(fields.gender);
  if (fields.country_of_birth !== undefined) await f('country_of_birth').fill(fields.country_of_birth);
  if (fields.arrival_year !== undefined) await f('arrival_year').fill(String(fields.arrival_year));
  if (fields.languages !== undefined) await f('languages').fill(fields.languages);
  if (fields.interpreter_needed) await f('interpreter_needed').check();
  if (fields.phone !== undefined) await f('phone').fill(fields.phone);
  if (fields.email !== undefined) await f('email').fill(fields.email);
  if (fields.address !== undefined) await f('address').fill(fields.address);
  if (fields.education_level !== undefined) await f('education_level').selectOption(fields.education_level);
  if (fields.swedish_level !== undefined) await f('swedish_level').selectOption(fields.swedish_level);
  if (fields.referral_source !== undefined) await f('referral_source').selectOption(fields.referral_source);
  for (const label of fields.caseworkers ?? []) {
    await page.getByRole('group', { name: 'Handläggare', exact: true }).getByLabel(label).check();
  }
  for (const label of fields.projects ?? []) {
    await page.getByRole('group', { name: 'Projekt', exact: true }).getByLabel(label, { exact: true }).check();
  }
}

/**
 * Searches the participants list by name through its search form. Names are
 * sent in the request body (POST /participants), never in a URL; this asserts
 * that too. Returns the text of the result count ("N deltagare").
 */
export async function searchParticipants(page, name) {
  if (new URL(page.url()).pathname !== '/participants') await visit(page, '/participants');
  await page.locator('#q').fill(name);
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/participants',
    ),
    page.locator('form[role="search"] button[type="submit"]').click(),
  ]);
  await page.waitForLoadState('load');
  assert.equal(response.status(), 200, 'the search answers 200');
  const url = new URL(page.url());
  assert.equal(url.pathname, '/participants', 'the search stays on the list');
  assert.ok(
    !decodeURIComponent(page.url()).includes(name) && !url.searchParams.has('q'),
    `the searched name must not be in the URL: ${page.url()}`,
  );
  return textOf(page.locator('#result-count'));
}

/** Clicks "Registrera deltagare" and waits for the resulting page. */
export async function submitIntakeForm(page) {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/participants/new',
    ),
    page.getByRole('button', { name: 'Registrera deltagare' }).click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/**
 * Registers a new participant through the intake form as the signed-in user
 * and returns { id, fullName, path }.
 */
export async function registerParticipant(page, overrides = {}) {
  const familyName = overrides.family_name ?? uniqueFamilyName();
  const givenName = overrides.given_name ?? 'Testa';
  await visit(page, '/participants/new');
  await fillIntakeForm(page, {
    given_name: givenName,
    family_name: familyName,
    identity_kind: 'personnummer',
    identity_number: randomPersonnummer(),
    country_of_birth: 'Somalia',
    arrival_year: 2015,
    languages: 'somaliska, engelska',
    interpreter_needed: true,
    phone: '070-000 00 00',
    email: 'testa.e2e@example.org',
    address: 'Testgatan 1\n147 00 Tumba',
    education_level: 'upper_secondary',
    swedish_level: 'beginner',
    referral_source: 'municipality',
    caseworkers: [CASEWORKER_NAME],
    // Every demo project has ended, so a new intake is in ordinary operations.
    projects: [],
    ...overrides,
  });
  const response = await submitIntakeForm(page);
  const url = new URL(page.url());
  const match = url.pathname.match(/^\/participants\/(\d+)$/);
  if (!match) {
    const summary = await page.locator('.error-summary').allTextContents();
    assert.fail(
      `registering a participant should redirect to /participants/{id}; got ${url.pathname} ` +
        `(HTTP ${response.status()}), errors: ${JSON.stringify(summary)}`,
    );
  }
  return { id: Number(match[1]), fullName: `${givenName} ${familyName}`, path: url.pathname };
}

/** One line per failing node: rule id, impact, selector, and the failure summary. */
export function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`- ${v.id} [${v.impact}] ${v.help}`);
    lines.push(`  ${v.helpUrl}`);
    for (const node of v.nodes) {
      lines.push(`    target: ${JSON.stringify(node.target)}`);
      lines.push(`    html:   ${node.html.replace(/\s+/g, ' ').slice(0, 300)}`);
      if (node.failureSummary) {
        for (const s of node.failureSummary.split('\n')) lines.push(`      ${s}`);
      }
    }
  }
  return lines.join('\n');
}

/**
 * Runs axe with the WCAG 2.0/2.1 A and AA rules on the current page and fails
 * on any violation, listing each with what a developer needs to fix it.
 */
export async function assertNoAxeViolations(page, label) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const { violations } = results;
  if (violations.length > 0) {
    const report = formatViolations(violations);
    assert.fail(`axe found ${violations.length} WCAG A/AA violation(s) on ${label} (${page.url()}):\n${report}`);
  }
  // Sanity: axe really ran rules on a real page.
  assert.ok(results.passes.length > 0, `axe ran no passing rule on ${label}; did the page load?`);
}

/**
 * Clicks `button`, which posts a form to `pathname`, and waits for the page
 * that follows (after a redirect, or the re-rendered form). Returns the POST's
 * response.
 */
export async function submitForm(page, button, pathname) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === pathname),
    page.waitForEvent('load'),
    button.click(),
  ]);
  return response;
}
