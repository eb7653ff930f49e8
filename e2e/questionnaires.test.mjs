// Questionnaires in the browser: the evaluator uploads a broken XLSForm and
// reads where the mistakes are, then uploads a good one and publishes it; a
// caseworker fills it in Arabic (right to left) for a participant, with skip
// logic and an error she corrects; the evaluator reads the results (small
// counts hidden) and downloads the research export as codebook, wide CSV and
// Stata. axe finds nothing on every page on the way, nor on the portal's
// questionnaire pages, and the forms do not scroll sideways at 320 px.
//
// The tests in this file build on each other and run in order.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  BASE_URL,
  CASEWORKER,
  PASSWORD,
  assertNoAxeViolations,
  launchBrowser,
  newPage,
  searchParticipants,
  signIn,
  submitForm,
  textOf,
  visit,
} from './lib/harness.mjs';

const EVALUATOR = 'forskare@samordningsforbund.example';
const FIXTURES = new URL('./fixtures/', import.meta.url);
const TRASIG = fileURLToPath(new URL('trasig.xlsx', FIXTURES));
const TRYGGHET = fileURLToPath(new URL('trygghet.xlsx', FIXTURES));
const TITLE = 'Trygghet i vardagen';
const SCREENSHOT = fileURLToPath(new URL('../target/questionnaire-ar.png', import.meta.url));
const EXPORT_KEY = 'e2e-exportnyckel-trygghet';
const FREE_TEXT = 'Det går bra nu';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// What the tests learn and hand on to the next.
const state = {
  instrumentId: null, // the uploaded instrument's id
  version: null, // its published version
  participant: null, // { id, name } the caseworker filled it for
};

function requireState(...keys) {
  for (const k of keys) {
    assert.ok(state[k] !== null, `an earlier test in this file did not get as far as setting ${k}`);
  }
}

/** A narrow phone in Arabic. */
async function phone(width = 320) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'ar',
    timezoneId: 'Europe/Stockholm',
    viewport: { width, height: 700 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  return context.newPage();
}

async function assertNoSideScroll(page, label) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${label}: ${scroll} px wide in a ${client} px window`);
}

/** Nothing inside `selector` reaches outside the window, to either side. */
async function assertFitsWidth(page, selector, label) {
  const { client, outside } = await page.evaluate((sel) => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll(`${sel}, ${sel} *`)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < -0.5 || box.right > width + 0.5) {
        out.push(`<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${Math.round(box.left)}..${Math.round(box.right)}`);
      }
    }
    return { client: width, outside: out };
  }, selector);
  assert.deepEqual(outside, [], `${label}: these reach outside the ${client} px window`);
}

/** The rows of a `;`-separated CSV (quotes as in RFC 4180), without the BOM. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Fills the research export form for the instrument in `format`, clicks
 * "Ladda ner" and returns { name, bytes } of the download.
 */
async function downloadExport(page, format) {
  await visit(page, '/exports/research/answers');
  await page.locator('#f-instrument').selectOption(String(state.instrumentId));
  await page.locator('#f-key').fill(EXPORT_KEY);
  await page.locator('#f-k').fill('5');
  await page.locator('#f-format').selectOption(format);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Ladda ner', exact: true }).click(),
  ]);
  const failure = await download.failure();
  assert.equal(failure, null, `the ${format} download failed: ${failure}`);
  const bytes = await readFile(await download.path());
  return { name: download.suggestedFilename(), bytes };
}

/** A downloaded CSV: asserts the BOM and returns its rows. */
function csvRows(file, format) {
  assert.ok(file.name.endsWith('.csv'), `the ${format} file is a .csv: ${file.name}`);
  assert.deepEqual([...file.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `the ${format} CSV starts with a UTF-8 BOM`);
  const rows = parseCsv(file.bytes.subarray(3).toString('utf8')).filter((r) => !(r.length === 1 && r[0] === ''));
  assert.ok(rows.length > 0, `the ${format} CSV has a header`);
  assert.ok(rows[0].length > 1, `the ${format} CSV is ;-separated: ${JSON.stringify(rows[0])}`);
  return rows;
}

test('the evaluator uploads a broken XLSForm, reads where the mistakes are, then uploads a good one and publishes it', async () => {
  const page = await newPage(browser);
  await signIn(page, EVALUATOR);

  await visit(page, '/questionnaires');
  assert.equal(await textOf(page.locator('main h1')), 'Enkäter');
  for (const name of ['Egenmakt och livsutrymme', 'Självskattning']) {
    assert.equal(await page.locator('main table a', { hasText: name }).count(), 1, `${name} is listed`);
  }
  await assertNoAxeViolations(page, 'the questionnaires list');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/questionnaires/upload'),
    page.getByRole('link', { name: 'Ladda upp XLSForm', exact: true }).click(),
  ]);
  await assertNoAxeViolations(page, 'the upload page');

  // The broken file: a 422 page with a table of the problems.
  await page.locator('#f-file').setInputFiles(TRASIG);
  let response = await submitForm(page, page.getByRole('button', { name: 'Ladda upp', exact: true }), '/questionnaires/upload');
  assert.equal(response.status(), 422, 'a broken XLSForm is refused with 422');
  assert.equal(new URL(page.url()).pathname, '/questionnaires/upload', 'the upload page again');
  const summary = page.locator('.error-summary');
  assert.ok(await summary.isVisible(), 'the problems are shown');
  assert.match(await textOf(summary.locator('h2')), /2 fel/, 'the summary counts two mistakes');
  const headers = await summary.locator('table thead th').allTextContents();
  assert.deepEqual(headers.map((h) => h.trim()), ['Blad', 'Rad', 'Kolumn', 'Fel'], 'sheet, row, column and message');
  const problems = [];
  for (const tr of await summary.locator('table tbody tr').all()) {
    problems.push((await tr.locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()));
  }
  assert.equal(problems.length, 2, `two problems: ${JSON.stringify(problems)}`);
  const geopoint = problems.find((p) => p[1] === '4');
  const unknown = problems.find((p) => p[1] === '6');
  assert.ok(geopoint, `a problem on row 4: ${JSON.stringify(problems)}`);
  assert.ok(unknown, `a problem on row 6: ${JSON.stringify(problems)}`);
  assert.equal(geopoint[0], 'survey', 'row 4 is on the survey sheet');
  assert.equal(geopoint[2], 'type', 'row 4: the type column');
  assert.match(geopoint[3], /geopoint/, 'row 4: names the unsupported type');
  assert.equal(unknown[0], 'survey', 'row 6 is on the survey sheet');
  assert.equal(unknown[2], 'relevant', 'row 6: the relevant column');
  assert.match(unknown[3], /okand/, 'row 6: names the unknown question');
  await assertNoAxeViolations(page, 'the upload page with the problems shown');

  // The good file: a draft, then published.
  await page.locator('#f-file').setInputFiles(TRYGGHET);
  response = await submitForm(page, page.getByRole('button', { name: 'Ladda upp', exact: true }), '/questionnaires/upload');
  const uploaded = new URL(page.url());
  const match = uploaded.pathname.match(/^\/questionnaires\/(\d+)$/);
  assert.ok(match, `a good XLSForm leads to its instrument page: ${page.url()} (HTTP ${response.status()})`);
  state.instrumentId = Number(match[1]);
  assert.equal(await textOf(page.locator('main h1')), TITLE, 'the title from the settings sheet');
  // Version 1 in a fresh demo; a later version when the file was uploaded before.
  const publish = page.locator('main form button', { hasText: /^\s*Publicera version \d+\s*$/ });
  assert.equal(await publish.count(), 1, 'a button to publish the draft');
  const version = Number((await textOf(publish)).match(/\d+/)[0]);
  assert.equal(uploaded.searchParams.get('uploaded'), String(version), 'the page says which version was uploaded');
  const draftRow = page.locator('main table tbody tr', { has: page.locator(`a[href="/questionnaires/${state.instrumentId}/versions/${version}"]`) });
  assert.match(await textOf(draftRow), /Utkast/, 'the version is a draft');
  assert.match(await textOf(draftRow), /Svenska, العربية/, 'in Swedish and Arabic');
  await assertNoAxeViolations(page, 'the instrument page with the draft');

  response = await submitForm(page, publish, `/questionnaires/${state.instrumentId}/versions/${version}/publish`);
  assert.equal(new URL(page.url()).pathname, `/questionnaires/${state.instrumentId}`, 'back on the instrument page');
  assert.match(await textOf(page.locator('main [role="status"]')), new RegExp(`Version ${version} är publicerad`));
  assert.match(await textOf(draftRow), /Publicerad/, 'the version is published');
  assert.equal(await page.locator('main form button', { hasText: 'Publicera' }).count(), 0, 'nothing left to publish');
  state.version = version;
  await assertNoAxeViolations(page, 'the instrument page');

  // The preview in Arabic.
  await visit(page, `/questionnaires/${state.instrumentId}/versions/${version}?lang=ar`);
  const preview = page.locator('main div.questionnaire');
  assert.equal(await preview.getAttribute('lang'), 'ar');
  assert.equal(await preview.getAttribute('dir'), 'rtl');
  assert.match(await textOf(page.locator('#item-arbetar legend')), /^هل لديك عمل الآن؟/, 'the question in Arabic');
  await assertNoAxeViolations(page, 'the preview in Arabic');

  // It is in the list now.
  await visit(page, '/questionnaires');
  assert.equal(await page.locator(`main table a[href="/questionnaires/${state.instrumentId}"]`).count(), 1);
  await page.context().close();
});

test('a caseworker fills it in Arabic for a participant, with skip logic and a missing answer', async () => {
  requireState('instrumentId', 'version');
  const page = await newPage(browser);
  await signIn(page, CASEWORKER);
  const fillPath = (pid) => `/participants/${pid}/questionnaires/${state.instrumentId}`;

  // Not every participant she sees is one she may change: take the first
  // whose questionnaires page offers the new questionnaire to fill in, and
  // who has consented to the evaluation (so her answers are in the research
  // export).
  await visit(page, '/participants');
  const candidates = await page
    .locator('main table a[href^="/participants/"]')
    .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), name: a.textContent.trim() })));
  const records = candidates.filter((c) => /^\/participants\/\d+$/.test(c.href));
  assert.ok(records.length > 0, 'she has participants');
  for (const r of records) {
    await visit(page, r.href);
    const research = page.locator('main table tbody tr', { hasText: 'Deltagande i följeforskning' });
    const cells = (await research.count()) > 0 ? await research.first().locator('td').allTextContents() : [];
    const consented = cells.some((t) => t.trim() === 'Gäller');
    if (!consented) continue;
    await Promise.all([
      page.waitForURL((u) => u.pathname === `${r.href}/questionnaires`),
      page.locator('main a', { hasText: /^\s*Enkäter\s*$/ }).first().click(),
    ]);
    const id = Number(r.href.split('/').pop());
    if ((await page.locator(`main a[href="${fillPath(id)}"]`).count()) > 0) {
      state.participant = { id, name: r.name };
      break;
    }
  }
  assert.ok(
    state.participant,
    `none of her ${records.length} participants has consented to research and is offered "${TITLE}" to fill in`,
  );
  const pid = state.participant.id;
  const listPath = `/participants/${pid}/questionnaires`;
  assert.equal(await textOf(page.locator('main h1')), 'Enkäter');
  const outside = page.locator('main h2', { hasText: 'Fyll i utanför vågorna' });
  assert.equal(await outside.count(), 1, 'a section to fill in outside the waves');
  await assertNoAxeViolations(page, "the participant's questionnaires page");

  // The form, first in Swedish, then switched to Arabic with the language link.
  await Promise.all([
    page.waitForURL((u) => u.pathname === fillPath(pid)),
    page.locator(`main a[href="${fillPath(pid)}"]`).first().click(),
  ]);
  assert.equal(await textOf(page.locator('main h1')), `Fyll i: ${TITLE}`);
  const languages = page.locator('main nav.q-languages');
  assert.match(await textOf(languages), /^Visa på: Svenska · العربية$/, 'the language links');
  await Promise.all([
    page.waitForURL((u) => u.pathname === fillPath(pid) && u.searchParams.get('lang') === 'ar'),
    languages.getByRole('link', { name: 'العربية' }).click(),
  ]);
  const form = page.locator('main form div.questionnaire');
  assert.equal(await form.getAttribute('lang'), 'ar', 'the items are in Arabic');
  assert.equal(await form.getAttribute('dir'), 'rtl', 'right to left');
  assert.equal(await textOf(page.locator('label[for="q-arbetar-ja"]')), 'نعم');
  assert.match(await textOf(page.locator('#item-trygg legend')), /^أشعر بالأمان في حياتي اليومية/);
  // The meta fields stay in Swedish for her, outside the questionnaire.
  assert.equal(await page.locator('#f-wave').inputValue(), 'none', 'outside the waves: nothing scheduled');
  assert.match(await page.locator('#f-on').inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'the date is prefilled');
  assert.equal(await page.locator('#f-mode').inputValue(), 'with_staff');

  // Skip logic: the hours only when she works.
  const hours = page.locator('#item-timmar');
  assert.equal(await hours.isHidden(), true, 'the hours are hidden before she answers');
  await page.locator('#q-arbetar-nej').check();
  assert.equal(await hours.isHidden(), true, 'the hours are hidden when she does not work');
  await page.locator('#q-arbetar-ja').check();
  assert.equal(await hours.isVisible(), true, 'the hours are shown when she works');
  assert.equal(await page.locator('#q-timmar').isEnabled(), true, 'and can be answered');
  await assertNoAxeViolations(page, 'the fill form in Arabic');

  // One required answer missing (ensam): refused, with what she chose kept.
  await page.locator('#q-timmar').fill('12');
  await page.locator('#q-trygg-4').check();
  await page.locator('#q-ord').fill(FREE_TEXT);
  let response = await submitForm(page, page.getByRole('button', { name: 'Spara svaren', exact: true }), fillPath(pid));
  assert.equal(response.status(), 422, 'a missing required answer is refused with 422');
  assert.equal(new URL(page.url()).pathname, fillPath(pid), 'the form again');
  const summary = page.locator('.error-summary');
  assert.ok(await summary.isVisible(), 'an error summary');
  const summaryLinks = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(
    summaryLinks.some((h) => h.startsWith('#q-ensam')),
    `the summary leads to the missing answer: ${JSON.stringify(summaryLinks)}`,
  );
  assert.ok(await page.locator('#item-ensam .error').isVisible(), 'the error is said at the missing item');
  assert.equal(await page.locator('#q-ensam-1').getAttribute('aria-invalid'), 'true', 'the missing item is marked invalid');
  const again = page.locator('main form div.questionnaire');
  assert.equal(await again.getAttribute('lang'), 'ar', 'still in Arabic');
  assert.equal(await again.getAttribute('dir'), 'rtl', 'still right to left');
  assert.equal(await page.locator('#q-arbetar-ja').isChecked(), true, 'arbetar = ja still chosen');
  assert.equal(await page.locator('#q-trygg-4').isChecked(), true, 'trygg = 4 still chosen');
  assert.equal(await hours.isVisible(), true, 'the hours still shown');
  assert.equal(await page.locator('#q-timmar').inputValue(), '12', 'the hours kept');
  assert.equal(await page.locator('#q-ord').inputValue(), FREE_TEXT, 'the free text kept');
  assert.equal(await page.locator('#f-wave').inputValue(), 'none', 'the wave kept');
  await assertNoAxeViolations(page, 'the fill form in Arabic with errors');
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // Completed: saved, and listed with its language and score.
  await page.locator('#q-ensam-2').check();
  response = await submitForm(page, page.getByRole('button', { name: 'Spara svaren', exact: true }), fillPath(pid));
  assert.equal(response.status(), 303, 'a complete form is saved and redirects');
  const saved = new URL(page.url());
  assert.equal(saved.pathname, listPath, "back on the participant's questionnaires");
  assert.equal(saved.searchParams.get('saved'), '1');
  assert.equal(await textOf(page.locator('main [role="status"]')), 'Svaren är sparade.');
  const answered = page.locator('main table tbody tr', { hasText: TITLE });
  assert.ok((await answered.count()) >= 1, 'the response is listed');
  const row = await textOf(answered.first());
  assert.match(row, /العربية/, `in Arabic: ${row}`);
  assert.match(row, /Utanför vågorna/, `outside the waves: ${row}`);
  assert.match(row, /Med personal/, `with staff: ${row}`);
  // (trygg + (6 - ensam)) div 2 = (4 + 4) / 2
  assert.match(row, /Trygghet: 4\b/, `the score: ${row}`);
  await assertNoAxeViolations(page, "the participant's questionnaires page after saving");
  await page.context().close();
});

/** Opens the Arabic fill form on a 320 px phone, with arbetar = ja (so the hours show). */
async function fillFormOnPhone() {
  const page = await phone();
  await signIn(page, CASEWORKER);
  await visit(page, `/participants/${state.participant.id}/questionnaires/${state.instrumentId}?lang=ar`);
  await page.locator('#q-arbetar-ja').check();
  assert.ok(await page.locator('#item-timmar').isVisible(), 'the hours are shown');
  return page;
}

async function submitFillFormWithErrors(page) {
  const path = `/participants/${state.participant.id}/questionnaires/${state.instrumentId}`;
  const response = await submitForm(page, page.locator('main form button[type="submit"]'), path);
  assert.equal(response.status(), 422);
  assert.ok(await page.locator('.error-summary').isVisible(), 'the errors are shown');
}

test('the fill form in Arabic fits in 320 px, also with errors', async () => {
  requireState('instrumentId', 'participant');
  const page = await fillFormOnPhone();
  await assertFitsWidth(page, 'main', 'the fill form in Arabic');
  await submitFillFormWithErrors(page);
  await assertFitsWidth(page, 'main', 'the fill form in Arabic with errors');
  await page.context().close();
});

// The whole page, header included (the staff header wraps).
test(
  'the fill form page in Arabic does not scroll sideways at 320 px',
  async () => {
    requireState('instrumentId', 'participant');
    const page = await fillFormOnPhone();
    try {
      await assertNoSideScroll(page, 'the fill form in Arabic');
      await submitFillFormWithErrors(page);
      await assertNoSideScroll(page, 'the fill form in Arabic with errors');
    } finally {
      await page.context().close();
    }
  },
);

test('the evaluator reads the results and downloads the research export', async () => {
  requireState('instrumentId', 'participant');
  const page = await newPage(browser);
  await signIn(page, EVALUATOR);

  // How many responses the instrument has (one in a fresh demo).
  await visit(page, '/questionnaires');
  const listRow = page.locator('main table tbody tr', { has: page.locator(`a[href="/questionnaires/${state.instrumentId}"]`) });
  const cells = await listRow.locator('td').allTextContents();
  const responses = Number(cells[4].trim());
  assert.ok(responses >= 1, `the list counts the response: ${JSON.stringify(cells)}`);

  await visit(page, `/questionnaires/${state.instrumentId}/results`);
  assert.equal(await textOf(page.locator('main h1')), `Resultat: ${TITLE}`);
  const rateHeading = page.locator('main h2', { hasText: 'Svarsfrekvens per våg' });
  assert.equal(await rateHeading.count(), 1, 'a response rate section');
  const rateTable = page.locator('main h2:has-text("Svarsfrekvens per våg") + table');
  assert.equal(await rateTable.count(), 1, 'the response rate is a table');
  const rateText = await textOf(rateTable);
  if (responses < 5) {
    assert.match(rateText, /färre än 5/, `a count below 5 is shown as "färre än 5": ${rateText}`);
    const body = await rateTable.locator('tbody td').allTextContents();
    assert.ok(
      !body.some((t) => t.trim() === String(responses)),
      `the count ${responses} must not be shown as a number: ${JSON.stringify(body)}`,
    );
  }
  await assertNoAxeViolations(page, 'the results page');

  await visit(page, '/exports/research/answers');
  assert.equal(
    await page.locator(`#f-instrument option[value="${state.instrumentId}"]`).count(),
    1,
    'the new questionnaire can be exported',
  );
  await assertNoAxeViolations(page, 'the research export form');

  const codebook = csvRows(await downloadExport(page, 'codebook'), 'codebook');
  const wide = csvRows(await downloadExport(page, 'wide'), 'wide');
  const variableColumn = codebook[0].findIndex((h) => /^(variable|variabel)$/i.test(h.trim()));
  assert.ok(variableColumn >= 0, `the codebook has a variable column: ${JSON.stringify(codebook[0])}`);
  const variables = codebook.slice(1).map((r) => r[variableColumn]);
  assert.deepEqual(variables, wide[0], 'the codebook describes exactly the wide file’s columns, in order');
  assert.ok(variables.includes('arbetar') || variables.some((v) => /arbetar/.test(v)), `the items are there: ${variables}`);
  for (const [label, columns] of [
    ['codebook', variables],
    ['wide file', wide[0]],
  ]) {
    assert.ok(!columns.some((c) => /(^|_)ord$/.test(c)), `the free-text item ord is not in the ${label}: ${columns}`);
  }

  // Her answers, in Arabic, without the free text.
  const col = (name) => {
    const i = wide[0].indexOf(name);
    assert.ok(i >= 0, `the wide file has a column ${name}: ${wide[0]}`);
    return i;
  };
  const hers = wide
    .slice(1)
    .filter((r) => r[col('language')] === 'ar' && r[col('arbetar')] === 'ja' && r[col('trygg')] === '4' && r[col('ensam')] === '2');
  assert.ok(hers.length >= 1, `her answers are in the wide file: ${JSON.stringify(wide)}`);
  assert.equal(hers[0][col('trygghet')].replace(',', '.').replace(/\.0+$/, ''), '4', 'with her score');
  assert.ok(!wide.flat().some((v) => v.includes(FREE_TEXT)), 'her free text is not in the wide file');

  const stata = await downloadExport(page, 'stata');
  assert.ok(stata.name.endsWith('.dta'), `a .dta file: ${stata.name}`);
  assert.equal(stata.bytes.subarray(0, 11).toString('latin1'), '<stata_dta>', 'a Stata 117+ file');
  await page.context().close();
});

/**
 * Makes sure DEMOAR (Salma Idris) can sign in with the demo password: the
 * portal test's passkey set-up replaces her password, so her caseworker
 * invites her again and she chooses the demo password with the code, as the
 * demo has it. Signed out again, to sign in as she would.
 */
async function restoreDemoarPassword() {
  const staff = await newPage(browser);
  await signIn(staff, 'handledare@helamanniskan.example');
  await searchParticipants(staff, 'Salma Idris');
  const record = await staff.locator('main table a[href^="/participants/"]').first().getAttribute('href');
  await visit(staff, `${record}/portal`);
  await submitForm(staff, staff.locator('main form button[type="submit"]').last(), `${record}/portal`);
  const code = await textOf(staff.locator('.invitation-code'));
  const login = await textOf(staff.locator('.invitation dl code').nth(1));
  assert.equal(login, 'DEMOAR', 'Salma Idris is DEMOAR');
  await staff.context().close();

  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'ar' });
  const page = await context.newPage();
  await visit(page, `/portal/invite?code=${code.replace(/-/g, '')}`);
  await submitForm(page, page.locator('main form button[name="step"]'), '/portal/invite');
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#password_again').fill(PASSWORD);
  await submitForm(page, page.locator('main form button[name="step"][value="password"]'), '/portal/invite');
  assert.equal(new URL(page.url()).pathname, '/portal', 'her password is set and she is signed in');
  await context.close();
}

test('axe and 320 px: the questionnaires in the participant portal, in Arabic', async () => {
  await restoreDemoarPassword();
  const page = await phone();
  await visit(page, '/portal/login');
  await page.locator('#login').fill('DEMOAR');
  await page.locator('#password').fill(PASSWORD);
  await submitForm(page, page.locator('main form button[type="submit"]'), '/portal/login');
  assert.equal(new URL(page.url()).pathname, '/portal', 'signed in, on her start page');
  await visit(page, '/portal/lang/ar?back=/portal/questionnaires');
  assert.equal(new URL(page.url()).pathname, '/portal/questionnaires');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await textOf(page.locator('main h1')), 'الاستبيانات');
  await assertNoAxeViolations(page, 'the portal questionnaires page');
  await assertNoSideScroll(page, 'the portal questionnaires page');

  // Her intake wave of Egenmakt och livsutrymme waits for her answer: its
  // title with an "Answer" button beside it.
  const egenmakt = page.locator('main li', { hasText: 'التمكين والحرية في الحياة اليومية' }).getByRole('link');
  assert.ok((await egenmakt.count()) >= 1, 'Egenmakt och livsutrymme is offered: ' + (await textOf(page.locator('main'))));
  const href = await egenmakt.first().getAttribute('href');
  await Promise.all([page.waitForURL((u) => u.pathname === href), egenmakt.first().click()]);
  const form = page.locator('main form div.questionnaire');
  assert.equal(await form.getAttribute('lang'), 'ar');
  assert.equal(await form.getAttribute('dir'), 'rtl');
  assert.ok((await page.locator('main form input[type="radio"]').count()) > 0, 'questions to answer');
  await assertNoAxeViolations(page, 'the egenmakt form in the portal');
  await assertNoSideScroll(page, 'the egenmakt form in the portal');
  await page.context().close();
});
