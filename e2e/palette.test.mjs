// The palette: interventions and courses, groups and their sessions, the
// one-submit attendance sheet, the versioned individual plan, and the reports;
// then axe (WCAG 2.0/2.1 A and AA) on each of those pages.

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
  uniqueFamilyName,
  visit,
  submitForm,
} from './lib/harness.mjs';

// Bo Cirkelledare, caseworker and teacher at Studieförbundet Bilda Öst, leads
// the language café groups ("Språkcafé tisdagar" and "Språkcafé torsdagar").
const TEACHER = 'cirkelledare@bilda.example';
const LANGUAGE_CAFE = 'Språkträning i svenska – språkcafé';
const COURSE = 'Svenska i butik';

const COUNTS = /(\d+) närvarande, (\d+) anmäld frånvaro, (\d+) frånvarande/;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});


/** The error summary's texts, for assertion messages. */
async function errorSummary(page) {
  return page.locator('.error-summary').allTextContents();
}

/** From /palette, follows the link to the intervention called `name`; returns its path. */
async function openIntervention(page, name) {
  await visit(page, '/palette');
  const link = page.locator('main table').getByRole('link', { name, exact: true });
  assert.equal(await link.count(), 1, `one link to "${name}" in the palette`);
  const href = await link.getAttribute('href');
  assert.match(href, /^\/palette\/\d+$/, `the palette links to /palette/{id}: ${href}`);
  await Promise.all([page.waitForURL((url) => url.pathname === href), link.click()]);
  assert.equal(await textOf(page.locator('h1')), name, 'the intervention page is headed by its name');
  return href;
}

/** From an intervention page, follows the link to its group `name` (or the first); returns its path. */
async function openGroup(page, name) {
  const links = page.locator('main a[href^="/groups/"]');
  const link = name ? links.filter({ hasText: name }) : links.first();
  assert.ok((await link.count()) >= 1, `a group link ${name ? `"${name}" ` : ''}on ${page.url()}`);
  const href = await link.first().getAttribute('href');
  assert.match(href, /^\/groups\/\d+$/);
  await Promise.all([page.waitForURL((url) => url.pathname === href), link.first().click()]);
  return href;
}

/** Attendance-sheet paths of the scheduled sessions on the group page at hand, latest first. */
async function sheetLinks(page) {
  const links = page.locator('main table').getByRole('link', { name: 'Registrera närvaro', exact: true });
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const h of hrefs) assert.match(h, /^\/sessions\/\d+\/attendance$/);
  return hrefs.reverse();
}

/** The participant ids on the attendance sheet at hand, in row order. */
async function sheetParticipants(page) {
  return page
    .locator('form.attendance tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => tr.querySelector('input[type=radio]').name.replace(/^attendance\./, '')),
    );
}

/**
 * Opens the sheets of the group at `groupPath`, latest first, and returns the
 * first `n` that have at least `minRows` participants, as { path, ids }.
 */
async function sheetsWithRoster(page, groupPath, n, minRows = 2) {
  await visit(page, groupPath);
  const found = [];
  for (const path of await sheetLinks(page)) {
    await visit(page, path);
    const ids = await sheetParticipants(page);
    if (ids.length >= minRows) found.push({ path, ids });
    if (found.length === n) return found;
  }
  assert.fail(`the group ${groupPath} should have ${n} scheduled sessions with ${minRows}+ participants`);
}

/** The session's row on the group page at hand (the row linking to its sheet). */
function sessionRow(page, sheetPath) {
  return page.locator('main tr', { has: page.locator(`a[href="${sheetPath}"]`) });
}

/** The status checked for participant `id` on the sheet at hand, or null. */
async function checkedStatus(page, id) {
  return page.evaluate(
    (name) => document.querySelector(`input[name="${name}"]:checked`)?.value ?? null,
    `attendance.${id}`,
  );
}

/** A participant, seen by the signed-in user, whose plan they may change; returns { id, path }. */
async function participantWithEditablePlan(page) {
  await visit(page, '/participants?status=active');
  const hrefs = await page
    .locator('main table a[href^="/participants/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of hrefs.slice(0, 10)) {
    await visit(page, `${href}/plan`);
    const canEdit = (await page.getByRole('link', { name: 'Ändra handlingsplanen', exact: true }).count()) === 1;
    const hasVersion = (await page.locator('section[aria-labelledby="current-h"]').count()) === 1;
    if (canEdit && hasVersion) return { id: Number(href.split('/').pop()), path: href };
  }
  assert.fail('one of the first active participants should have a plan the signed-in user may change');
}

/** The facts table of the intervention page at hand, as { label: value }. */
async function factsOf(page) {
  const rows = await page
    .locator('main table')
    .first()
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.cells].map((td) => td.textContent.replace(/\s+/g, ' ').trim())),
    );
  return Object.fromEntries(rows);
}

/** Number of plan versions on the plan page at hand (the current one plus the earlier ones). */
async function planVersionCount(page) {
  const current = await page.locator('section[aria-labelledby="current-h"]').count();
  return current + (await page.locator('main details').count());
}

/** Index of the first row of plan-form inputs `f-{name}-{i}` that is empty. */
async function firstEmptyRow(page, name) {
  for (let i = 0; ; i += 1) {
    const input = page.locator(`#f-${name}-${i}`);
    if ((await input.count()) === 0) assert.fail(`the plan form should have an empty ${name} row`);
    if ((await input.inputValue()) === '') return i;
  }
}

// --- Attendance -------------------------------------------------------------

test('a teacher records attendance for a whole session in one submit', async () => {
  const page = await newPage(browser);
  await signIn(page, TEACHER);
  await openIntervention(page, LANGUAGE_CAFE);
  const groupPath = await openGroup(page);
  assert.match(await textOf(page.locator('h1')), /Språkcafé/, 'the group page names the group');

  const [{ path: sheetPath, ids }] = await sheetsWithRoster(page, groupPath, 1);

  // From the group page, the session's "Registrera närvaro" link opens its sheet.
  await visit(page, groupPath);
  const link = sessionRow(page, sheetPath).getByRole('link', { name: 'Registrera närvaro', exact: true });
  await Promise.all([page.waitForURL((url) => url.pathname === sheetPath), link.click()]);
  assert.match(await textOf(page.locator('h1')), /^Närvaro: /, 'the sheet has its heading');
  assert.equal(await page.locator('form.attendance tbody tr').count(), ids.length, 'one row per participant');
  for (const id of ids) {
    assert.equal(await page.locator(`input[type=radio][name="attendance.${id}"]`).count(), 3, `three choices for ${id}`);
  }

  // Everyone present (one row is marked absent first, so the button has work to
  // do), then one of them absent with notice.
  await page.locator(`input[name="attendance.${ids[0]}"][value="absent"]`).check();
  await page.getByRole('button', { name: 'Alla närvarande', exact: true }).click();
  for (const id of ids) assert.equal(await checkedStatus(page, id), 'present', `"Alla närvarande" marks ${id}`);
  const withNotice = ids[ids.length - 1];
  await page.locator(`input[name="attendance.${withNotice}"][value="absent_notice"]`).check();

  const posts = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
  });
  const response = await submitForm(page, page.getByRole('button', { name: 'Spara närvaro', exact: true }), sheetPath);
  assert.deepEqual(posts, [sheetPath], 'the whole sheet is saved with a single POST');
  assert.equal(response.status(), 303, `saving answers with a redirect; errors: ${await errorSummary(page)}`);
  assert.equal(new URL(page.url()).pathname, groupPath, 'back on the group page');

  const row = sessionRow(page, sheetPath);
  assert.equal(await row.count(), 1, 'the session is listed on the group page');
  const text = await textOf(row);
  const counts = text.match(COUNTS);
  assert.ok(counts, `attendance counts in the session row: ${text}`);
  assert.deepEqual(
    counts.slice(1).map(Number),
    [ids.length - 1, 1, 0],
    `present, absent with notice, absent for ${ids.length} participants in: ${text}`,
  );

  // The sheet shows what was saved.
  await visit(page, sheetPath);
  for (const id of ids) {
    assert.equal(await checkedStatus(page, id), id === withNotice ? 'absent_notice' : 'present', `saved status of ${id}`);
  }
  await page.context().close();
});

test('an attendance sheet with a row left unmarked is refused, and nothing is saved', async () => {
  const page = await newPage(browser);
  await signIn(page, TEACHER);
  await openIntervention(page, LANGUAGE_CAFE);
  const groupPath = await openGroup(page, 'Språkcafé torsdagar');
  const [{ path: sheetPath, ids }] = await sheetsWithRoster(page, groupPath, 1);

  await visit(page, groupPath);
  const before = await textOf(sessionRow(page, sheetPath).locator('td').nth(5));

  await visit(page, sheetPath);
  const [cleared, changed] = ids;
  const previous = await checkedStatus(page, changed);
  const newStatus = previous === 'absent' ? 'present' : 'absent';
  await page.locator(`input[name="attendance.${changed}"][value="${newStatus}"]`).check();
  await page.evaluate((name) => {
    for (const r of document.querySelectorAll(`input[name="${name}"]`)) r.checked = false;
  }, `attendance.${cleared}`);
  assert.equal(await checkedStatus(page, cleared), null, 'the first row is unmarked');

  const response = await submitForm(page, page.getByRole('button', { name: 'Spara närvaro', exact: true }), sheetPath);
  assert.equal(response.status(), 422, 'an incomplete sheet answers 422');
  assert.equal(new URL(page.url()).pathname, sheetPath, 'stays on the sheet');

  const summary = page.locator('div.error-summary');
  assert.equal(await summary.count(), 1, 'one error summary');
  assert.equal(await summary.getAttribute('role'), 'alert');
  const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, [`#a-${cleared}-present`], 'the summary links to the unmarked row only');
  const errorRow = page.locator('form.attendance tbody tr.has-error');
  assert.equal(await errorRow.count(), 1, 'one row is marked as in error');
  assert.equal(await errorRow.locator('input[type=radio]').first().getAttribute('name'), `attendance.${cleared}`);
  assert.ok((await textOf(errorRow.locator('.error'))).length > 0, 'the row says what is wrong');

  // What was marked is kept, and following the summary link moves to the row.
  assert.equal(await checkedStatus(page, changed), newStatus, 'the other rows keep what was marked');
  assert.equal(await checkedStatus(page, cleared), null);
  await summary.locator('a').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), `a-${cleared}-present`, 'focus on the row');

  await visit(page, groupPath);
  assert.equal(
    await textOf(sessionRow(page, sheetPath).locator('td').nth(5)),
    before,
    'the session’s attendance is unchanged',
  );
  await page.context().close();
});

// --- Interventions ----------------------------------------------------------

test('a coordinator adds a group-based intervention and a course with a module to the palette', async () => {
  const page = await newPage(browser);
  await signIn(page, COORDINATOR);
  const tag = uniqueFamilyName();

  // A group-based intervention with a capacity, funded by a project.
  await visit(page, '/palette');
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/palette/new'),
    page.getByRole('link', { name: 'Ny insats', exact: true }).click(),
  ]);
  const groupName = `Samtalsgrupp ${tag}`;
  await page.locator('#f-name').fill(groupName);
  await page.locator('#f-kind').selectOption('group_session');
  await page.locator('#f-provider_organisation_id').selectOption({ label: 'Studieförbundet Bilda Öst' });
  await page.locator('#f-place').fill('Bildas lokal, Tumba');
  await page.locator('#f-languages').fill('svenska, somaliska');
  await page.locator('#f-group_based').check();
  await page.locator('#f-capacity').fill('12');
  await page.locator('#f-project_id').selectOption({ label: 'Tillväxt Kvinna' });
  let response = await submitForm(page, page.getByRole('button', { name: 'Spara', exact: true }), '/palette/new');
  assert.equal(response.status(), 303, `saving answers with a redirect; errors: ${await errorSummary(page)}`);
  const groupPath = new URL(page.url()).pathname;
  assert.match(groupPath, /^\/palette\/\d+$/, 'lands on the new intervention');
  assert.equal(await textOf(page.locator('h1')), groupName);
  let facts = await factsOf(page);
  assert.equal(facts['Typ'], 'Gruppträff', 'kind');
  assert.equal(facts['Ansvarig part'], 'Studieförbundet Bilda Öst', 'provider');
  assert.equal(facts['Finansiering'], 'Tillväxt Kvinna', 'funding');
  assert.equal(facts['Språk'], 'svenska, somaliska', 'languages');
  assert.equal(facts['Antal platser'], '0 / 12', 'capacity: none taken of 12');
  assert.equal(await page.getByRole('link', { name: 'Ny grupp', exact: true }).count(), 1, 'group-based: groups can be added');

  // A course in ordinary operations, with one module.
  await visit(page, '/palette/new');
  const courseName = `Kurs ${tag}`;
  await page.locator('#f-name').fill(courseName);
  await page.locator('#f-kind').selectOption('course');
  await page.locator('#f-provider_organisation_id').selectOption({ label: 'Botkyrka folkhögskola' });
  await page.locator('#f-project_id').selectOption({ label: 'Ordinarie verksamhet' });
  await page.locator('#f-start_date').fill('2026-08-17');
  await page.locator('#f-end_date').fill('2027-06-11');
  response = await submitForm(page, page.getByRole('button', { name: 'Spara', exact: true }), '/palette/new');
  assert.equal(response.status(), 303, `saving the course answers with a redirect; errors: ${await errorSummary(page)}`);
  const coursePath = new URL(page.url()).pathname;
  assert.match(coursePath, /^\/palette\/\d+$/, 'lands on the new course');
  facts = await factsOf(page);
  assert.equal(facts['Typ'], 'Kurs', 'kind');
  assert.equal(facts['Finansiering'], 'Ordinarie verksamhet', 'funding: ordinary operations');
  assert.equal(facts['Period'], '2026-08-17 – 2027-06-11', 'period');

  await Promise.all([
    page.waitForURL((url) => url.pathname === `${coursePath}/modules/new`),
    page.getByRole('link', { name: 'Lägg till modul', exact: true }).click(),
  ]);
  const moduleName = `Modul ${tag}`;
  await page.locator('#f-name').fill(moduleName);
  await page.locator('#f-kind').selectOption('language_training');
  await page.locator('#f-provider_organisation_id').selectOption({ label: 'Botkyrka folkhögskola' });
  response = await submitForm(
    page,
    page.getByRole('button', { name: 'Spara', exact: true }),
    `${coursePath}/modules/new`,
  );
  assert.equal(response.status(), 303, `saving the module answers with a redirect; errors: ${await errorSummary(page)}`);
  await visit(page, coursePath);
  const modules = page.locator('main table', { has: page.getByRole('columnheader', { name: '#' }) });
  assert.equal(await modules.count(), 1, 'the course lists its modules');
  const moduleLink = modules.getByRole('link', { name: moduleName, exact: true });
  assert.equal(await moduleLink.count(), 1, 'the module is listed on the course');
  assert.equal(await textOf(modules.locator('tbody tr').first().locator('td').first()), '1', 'as module number 1');

  // All three are in the palette, the module under its course.
  await visit(page, '/palette');
  const table = page.locator('main table');
  for (const [name, path] of [
    [groupName, groupPath],
    [courseName, coursePath],
  ]) {
    const a = table.getByRole('link', { name, exact: true });
    assert.equal(await a.count(), 1, `"${name}" is in the palette`);
    assert.equal(await a.getAttribute('href'), path);
  }
  const moduleRow = table.locator('tr', { hasText: moduleName });
  assert.equal(await moduleRow.count(), 1, 'the module is in the palette');
  assert.match(await textOf(moduleRow), /↳ 1\. /, 'listed as module 1');
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  const courseIndex = rows.findIndex((r) => r.includes(courseName));
  assert.ok(rows[courseIndex + 1]?.includes(moduleName), 'the module follows its course');
  await page.context().close();
});

// --- The individual plan ------------------------------------------------------

test('a caseworker changes a participant’s plan and both versions are kept', async () => {
  const page = await newPage(browser);
  await signIn(page, CASEWORKER);
  const { path } = await participantWithEditablePlan(page);
  const planPath = `${path}/plan`;
  const versionsBefore = await planVersionCount(page);
  assert.ok(versionsBefore >= 1, 'the demo participant has a plan');

  await Promise.all([
    page.waitForURL((url) => url.pathname === `${planPath}/edit`),
    page.getByRole('link', { name: 'Ändra handlingsplanen', exact: true }).click(),
  ]);
  const oldGoal = await page.locator('#f-goal_text-0').inputValue();
  assert.ok(oldGoal.length > 0, 'the form starts from the current plan');

  const tag = uniqueFamilyName();
  const newGoal = `Jag vill arbeta i en butik (${tag}).`;
  await page.locator('#f-goal_text-0').fill(newGoal);
  const g = await firstEmptyRow(page, 'goal_text');
  await page.locator(`#f-goal_text-${g}`).fill('Jag vill klara mig själv i vardagen.');
  await page.locator(`#f-goal_category-${g}`).selectOption('everyday_life');
  const s = await firstEmptyRow(page, 'step_intervention');
  await page.locator(`#f-step_intervention-${s}`).selectOption({ label: 'Jobbmatchning' });
  await page.locator(`#f-step_start-${s}`).fill('2026-12-01');
  await page.locator(`#f-step_end-${s}`).fill('2027-02-26');
  await page.locator(`#f-step_organisation-${s}`).selectOption({ label: 'Hela Människan' });
  await page.locator(`#f-step_note-${s}`).fill(`Steg ${tag}`);
  const r = await firstEmptyRow(page, 'review_date');
  await page.locator(`#f-review_date-${r}`).fill('2026-11-20');
  await page.locator(`#f-review_participants-${r}`).fill('Deltagaren, coach');
  await page.locator(`#f-review_notes-${r}`).fill(`Uppföljning ${tag}`);
  await page.locator(`#f-review_decisions-${r}`).fill('Börja med jobbmatchning.');

  const response = await submitForm(
    page,
    page.getByRole('button', { name: 'Spara ny version', exact: true }),
    `${planPath}/edit`,
  );
  assert.equal(response.status(), 303, `saving answers with a redirect; errors: ${await errorSummary(page)}`);
  assert.equal(new URL(page.url()).pathname, planPath, 'back on the plan');

  // The new version is current; the one before is kept under "Tidigare versioner".
  assert.equal(await planVersionCount(page), versionsBefore + 1, 'one more version');
  assert.ok(versionsBefore + 1 >= 2);
  const current = page.locator('section[aria-labelledby="current-h"]');
  assert.match(await textOf(current.locator('h2')), new RegExp(`Version ${versionsBefore + 1}\\b`), 'the new version is current');
  const currentText = await textOf(current);
  for (const expected of [newGoal, 'Vardagsliv: Jag vill klara mig själv i vardagen.', 'Jobbmatchning', `Steg ${tag}`, `Uppföljning ${tag}`]) {
    assert.ok(currentText.includes(expected), `"${expected}" in the current plan: ${currentText}`);
  }
  assert.equal(await page.getByRole('heading', { name: 'Tidigare versioner', level: 2 }).count(), 1);
  const previous = page.locator('main details').first();
  assert.match(await textOf(previous.locator('summary')), new RegExp(`^Version ${versionsBefore}\\b`), 'the previous version first');
  const previousText = await textOf(previous);
  assert.ok(previousText.includes(oldGoal), `the previous version keeps the old goal: ${previousText}`);
  assert.ok(!previousText.includes(tag), 'the previous version is unchanged');

  // The participant's timeline records the new version.
  await visit(page, path);
  const timeline = await textOf(page.locator('section[aria-labelledby="timeline-h"]'));
  assert.match(timeline, new RegExp(`Handlingsplan – v${versionsBefore + 1}\\b`), `the new version in the timeline: ${timeline}`);
  await page.context().close();
});

// --- Accessibility ------------------------------------------------------------

test('axe: palette, intervention, group and attendance pages', async (t) => {
  const page = await newPage(browser);
  await signIn(page, COORDINATOR);

  await t.test('the palette', async () => {
    await visit(page, '/palette');
    assert.ok((await page.locator('main table a[href^="/palette/"]').count()) > 0, 'interventions listed');
    await assertNoAxeViolations(page, 'the palette');
  });

  let groupPath;
  await t.test('an intervention page with groups and enrolments', async () => {
    const path = await openIntervention(page, LANGUAGE_CAFE);
    assert.ok((await page.locator('main a[href^="/groups/"]').count()) > 0, 'groups listed');
    await assertNoAxeViolations(page, `the intervention page ${path}`);
    groupPath = await openGroup(page);
  });

  await t.test('a course page with modules', async () => {
    const path = await openIntervention(page, COURSE);
    assert.equal(await page.getByRole('heading', { name: 'Moduler', exact: true }).count(), 1, 'modules listed');
    await assertNoAxeViolations(page, `the course page ${path}`);
  });

  await t.test('the new-intervention form and the module form', async () => {
    await visit(page, '/palette/new');
    await assertNoAxeViolations(page, 'the new-intervention form');
    const response = await submitForm(page, page.getByRole('button', { name: 'Spara', exact: true }), '/palette/new');
    assert.equal(response.status(), 422, 'an empty intervention answers 422');
    assert.equal(await page.locator('div.error-summary').count(), 1, 'the error summary is shown');
    await assertNoAxeViolations(page, 'the new-intervention form with errors');
    const course = await openIntervention(page, COURSE);
    await visit(page, `${course}/modules/new`);
    await assertNoAxeViolations(page, 'the module form');
  });

  let sheets;
  await t.test('a group page', async () => {
    assert.ok(groupPath, 'a group was found on the intervention page');
    await visit(page, groupPath);
    assert.ok((await sheetLinks(page)).length > 0, 'sessions with attendance links');
    await assertNoAxeViolations(page, `the group page ${groupPath}`);
    await visit(page, `${groupPath}/schedule`);
    await assertNoAxeViolations(page, `the schedule form ${groupPath}/schedule`);
    sheets = await sheetsWithRoster(page, groupPath, 1);
  });

  await t.test('an attendance sheet', async () => {
    const [{ path }] = sheets;
    await visit(page, path);
    assert.ok((await page.locator('form.attendance tbody tr').count()) >= 2, 'participants on the sheet');
    await assertNoAxeViolations(page, `the attendance sheet ${path}`);
  });

  await t.test('an attendance sheet with errors', async () => {
    const [{ path, ids }] = sheets;
    await visit(page, path);
    await page.evaluate((name) => {
      for (const r of document.querySelectorAll(`input[name="${name}"]`)) r.checked = false;
    }, `attendance.${ids[0]}`);
    const response = await submitForm(page, page.getByRole('button', { name: 'Spara närvaro', exact: true }), path);
    assert.equal(response.status(), 422);
    assert.equal(await page.locator('div.error-summary').count(), 1, 'the error summary is shown');
    assert.equal(await page.locator('form.attendance tr.has-error').count(), 1, 'the row in error is marked');
    await assertNoAxeViolations(page, `the attendance sheet with errors ${path}`);
  });

  await page.context().close();
});

test('axe: plan, participant page and reports', async (t) => {
  const page = await newPage(browser);
  await signIn(page, CASEWORKER);
  const { path } = await participantWithEditablePlan(page);

  await t.test('the plan page, earlier versions opened', async () => {
    await visit(page, `${path}/plan`);
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('main details')) d.open = true;
    });
    await assertNoAxeViolations(page, `the plan ${path}/plan`);
  });

  await t.test('the plan form', async () => {
    await visit(page, `${path}/plan/edit`);
    assert.equal(await page.locator('#f-goal_text-0').count(), 1, 'the goal rows');
    await assertNoAxeViolations(page, `the plan form ${path}/plan/edit`);
  });

  await t.test('a participant page with the individual path, period, enrolments and timeline', async () => {
    await visit(page, path);
    // The record opens on its summary with the sections folded: open the
    // individual path and the timeline, from the keyboard.
    for (const id of ['path-h', 'timeline-h']) {
      const summary = page.locator(`main summary:has(#${id})`);
      await summary.focus();
      await page.keyboard.press('Enter');
      assert.equal(await summary.evaluate((s) => s.parentElement.open), true, `${id} opens`);
    }
    for (const [level, name] of [
      [2, 'Individuell väg'],
      [3, 'Deltagarperiod'],
      [3, 'Insatser och väntelista'],
      [2, 'Tidslinje'],
    ]) {
      assert.equal(await page.getByRole('heading', { name, level, exact: true }).count(), 1, `section "${name}"`);
    }
    for (const sub of ['plan', 'enrolments/new', 'activities/new', 'period', 'time']) {
      assert.equal(await page.locator(`main a[href="${path}/${sub}"]`).count(), 1, `link to ${path}/${sub}`);
    }
    assert.ok((await page.locator('ol.timeline li').count()) > 0, 'timeline entries');
    await assertNoAxeViolations(page, `the participant page ${path}`);
  });

  await t.test('the reports', async () => {
    const coordinator = await newPage(browser);
    await signIn(coordinator, COORDINATOR);
    await visit(coordinator, '/reports');
    const csv = await coordinator
      .locator('main a[href$=".csv"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(csv.includes('/reports/attendance-by-group.csv'), `CSV links: ${csv}`);
    assert.ok((await coordinator.locator('main table').count()) >= csv.length, 'a table per report');
    await assertNoAxeViolations(coordinator, 'the reports');
    for (const href of csv) {
      const response = await coordinator.request.get(href);
      assert.equal(response.status(), 200, `GET ${href}`);
      assert.match(response.headers()['content-type'] ?? '', /^text\/csv/, `${href} is CSV`);
    }
    await coordinator.context().close();
  });

  await page.context().close();
});
