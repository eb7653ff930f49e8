// WCAG 2.1 1.4.10 Reflow: every main page is usable 320 px wide without
// sideways scrolling (and still at 1280 px); the header is compact on a narrow
// screen with its links behind a menu that opens from the keyboard and without
// scripts; the attendance sheet works at 320 px (every choice of every row in
// view and clickable, and saving works); axe finds nothing at 320 px in Swedish
// and English. Prints the page heights at 1280 px of the participant record,
// the group page and the project dashboard, and the header height at 320 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL,
  CASEWORKER,
  COORDINATOR,
  PASSWORD,
  assertNoAxeViolations,
  launchBrowser,
  submitForm,
  textOf,
  visit,
} from './lib/harness.mjs';

// Bo Cirkelledare leads the language café groups and takes their attendance.
const TEACHER = 'cirkelledare@bilda.example';
const LANGUAGE_CAFE = 'Språkträning i svenska – språkcafé';
const WIDTHS = [320, 1280];
const MAX_HEADER_320 = 120;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A fresh context (own cookies) `width` px wide, in Swedish. */
async function openPage(width, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    viewport: { width, height: 800 },
    javaScriptEnabled,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  return context.newPage();
}

/** Signs in through the login form (at whatever width) and lands on the start page. */
async function signInAs(page, email) {
  await visit(page, '/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/'),
    page.locator('main form button[type="submit"]').click(),
  ]);
}

/** Switches the UI language with the header's language link route. */
async function setLanguage(page, code) {
  await visit(page, `/lang/${code}?back=/`);
  assert.equal(await page.locator('html').getAttribute('lang'), code, `the UI is in ${code}`);
}

async function resize(page, width) {
  await page.setViewportSize({ width, height: 800 });
}

/**
 * The page's scroll and client widths, and when it is wider than the window
 * the deepest elements that stick out on the right (or left), for the message.
 */
async function measureOverflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const client = root.clientWidth;
    const scroll = root.scrollWidth;
    const offenders = [];
    if (scroll > client) {
      const describe = (el) => {
        let s = el.tagName.toLowerCase();
        if (el.id) s += `#${el.id}`;
        if (typeof el.className === 'string' && el.className.trim()) s += `.${el.className.trim().split(/\s+/).join('.')}`;
        const parent = el.parentElement;
        const ptag = parent ? parent.tagName.toLowerCase() + (parent.className && typeof parent.className === 'string' ? `.${parent.className.trim().split(/\s+/).join('.')}` : '') : '';
        return `${ptag} > ${s}`;
      };
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        // Only what sticks out on the right widens the page (the skip link
        // waits far off to the left).
        if (r.right <= client + 0.5) continue;
        // Only the deepest: skip elements with a child that also sticks out.
        const childOut = [...el.children].some((c) => {
          const cr = c.getBoundingClientRect();
          return (cr.width > 0 || cr.height > 0) && cr.right > client + 0.5;
        });
        if (childOut) continue;
        const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
        offenders.push(`${describe(el)} [${Math.round(r.left)}..${Math.round(r.right)}] "${text}"`);
        if (offenders.length >= 8) break;
      }
    }
    return { scroll, client, offenders };
  });
}

/** Asserts the page at hand does not scroll sideways; the message names what sticks out. */
async function assertNoSideScroll(page, label) {
  const m = await measureOverflow(page);
  assert.ok(
    m.scroll <= m.client,
    `${label}: ${m.scroll} px wide in a ${m.client} px window; sticking out:\n  ${m.offenders.join('\n  ')}`,
  );
}

/** The problem, if any, with the page at hand at its width, as a string (or null). */
async function sideScrollProblem(page, label) {
  const m = await measureOverflow(page);
  if (m.scroll <= m.client) return null;
  return `${label}: ${m.scroll} px wide in a ${m.client} px window; sticking out:\n    ${m.offenders.join('\n    ')}`;
}

/** Paths of the links matching `selector` on the page at hand, in order. */
async function hrefs(page, selector) {
  return page.locator(selector).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
}

/** The header's navigation links as [label, path] (menu open or not; read from the DOM). */
async function navLinks(page) {
  return page
    .locator('header nav a[href]')
    .evaluateAll((as) => as.map((a) => [a.textContent.replace(/\s+/g, ' ').trim(), a.getAttribute('href')]));
}

/**
 * Discovers, from the start page and the links it leads to, the main pages the
 * signed-in user sees: every navigation link, a worklist of the start page, a
 * participant record and its time page, the intake form, a project dashboard,
 * a funder report, a group page and the attendance sheet of one of its
 * sessions (when the user may take attendance). Returns [{ name, path }].
 */
async function discoverPages(page) {
  const pages = new Map();
  const add = (name, path) => {
    if (path && !pages.has(path)) pages.set(path, name);
  };
  await visit(page, '/');
  add('start page', '/');
  for (const [label, path] of await navLinks(page)) add(`nav: ${label}`, path);
  const work = await hrefs(page, 'main .worklist a[href]');
  work.forEach((p, i) => add(`start-page worklist ${i + 1}`, p));
  const dashboards = await hrefs(page, 'main section.card a[href$="/dashboard"]');
  assert.ok(dashboards.length > 0, 'the start page links to a project dashboard');
  add('project dashboard', dashboards[0]);
  dashboards.slice(1).forEach((d, i) => add(`project dashboard ${i + 2}`, d));

  // A project dashboard links to its funder reports.
  await visit(page, dashboards[0]);
  const reports = (await hrefs(page, 'main a[href*="/reports/"]')).filter((h) => !/\.(csv|xlsx|pdf)/.test(h));
  if (reports.length > 0) add('funder report', reports[0]);

  // A participant with a history: the first active one in the list.
  await visit(page, '/participants?status=active');
  const people = (await hrefs(page, 'main table a[href^="/participants/"]')).filter((h) =>
    /^\/participants\/\d+$/.test(h),
  );
  assert.ok(people.length > 0, 'the participants list links to a record');
  add('participant record', people[0]);
  add('participant time', `${people[0]}/time`);
  add('intake form', '/participants/new');

  // The language café: its group page and a session's attendance sheet.
  await visit(page, '/palette');
  const intervention = page.locator('main table').getByRole('link', { name: LANGUAGE_CAFE, exact: true });
  if ((await intervention.count()) === 1) {
    await visit(page, await intervention.getAttribute('href'));
    const groups = await hrefs(page, 'main a[href^="/groups/"]');
    if (groups.length > 0) {
      add('group page', groups[0]);
      await visit(page, groups[0]);
      const sheets = await hrefs(page, 'main a[href$="/attendance"]');
      if (sheets.length > 0) add('attendance sheet', sheets[sheets.length - 1]);
    }
  }
  return [...pages].map(([path, name]) => ({ name, path }));
}

/** The page heights at 1280 px, before and after the reflow work (printed for the closing note). */
test('page heights at 1280 px: participant record, group page, project dashboard; header at 320 px', async () => {
  const page = await openPage(1280);
  await signInAs(page, COORDINATOR);
  const found = await discoverPages(page);
  // The dashboard measured before and after is Tillväxt Kvinna's.
  await visit(page, '/');
  const tk = await page
    .locator('section.card', { has: page.getByRole('heading', { name: 'Tillväxt Kvinna', exact: true }) })
    .locator('a[href$="/dashboard"]')
    .getAttribute('href');
  const path = (name) => (name === 'project dashboard' ? tk : found.find((p) => p.name === name)?.path);
  for (const [name, key] of [
    ['participant record', 'record'],
    ['group page', 'group'],
    ['project dashboard', 'dashboard'],
  ]) {
    assert.ok(path(name), `found the ${name}`);
    await visit(page, path(name));
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`page-height ${key} 1280: ${height} px (${path(name)})`);
  }
  const header1280 = await page.evaluate(() => Math.round(document.querySelector('header.top').getBoundingClientRect().height));
  console.log(`header-height 1280: ${header1280} px`);
  await resize(page, 320);
  await visit(page, '/');
  const header320 = await page.evaluate(() => Math.round(document.querySelector('header.top').getBoundingClientRect().height));
  console.log(`header-height 320: ${header320} px`);
  await page.context().close();
});

for (const who of [COORDINATOR, CASEWORKER]) {
  test(`no sideways scrolling at ${WIDTHS.join(' and ')} px on every main page (${who})`, async () => {
    const page = await openPage(1280);
    await signInAs(page, who);
    const pages = await discoverPages(page);
    const names = pages.map((p) => p.name);
    for (const must of ['start page', 'participant record', 'participant time', 'project dashboard', 'group page']) {
      assert.ok(names.includes(must), `${who} reaches the ${must}; found: ${names.join(', ')}`);
    }
    for (const must of ['/participants', '/participants/new', '/dashboard', '/projects', '/partners', '/reports', '/questionnaires', '/employers', '/referrals', '/follow-ups']) {
      assert.ok(pages.some((p) => p.path === must), `${who} reaches ${must}; found: ${pages.map((p) => p.path).join(' ')}`);
    }
    const problems = [];
    for (const width of WIDTHS) {
      await resize(page, width);
      for (const { name, path } of pages) {
        await visit(page, path);
        const problem = await sideScrollProblem(page, `${name} (${path}) at ${width} px`);
        if (problem) problems.push(problem);
      }
    }
    console.log(`reflow ${who}: checked ${pages.length} pages at ${WIDTHS.join(' and ')} px: ${pages.map((p) => p.path).join(' ')}`);
    assert.deepEqual(problems, [], `pages that scroll sideways:\n  ${problems.join('\n  ')}`);
    await page.context().close();
  });
}

test('the header at 320 px is compact, its menu opens from the keyboard and shows every link', async () => {
  const page = await openPage(320);
  await signInAs(page, COORDINATOR);
  const header = page.locator('header.top');
  const height = (await header.boundingBox()).height;
  assert.ok(height <= MAX_HEADER_320, `the header is ${Math.round(height)} px tall at 320 px (at most ${MAX_HEADER_320})`);
  const links = page.locator('header nav a[href]');
  assert.ok((await links.count()) >= 8, 'the navigation has its links');
  assert.equal(await links.first().isVisible(), false, 'the navigation is folded away behind the menu');

  // Tab from the top of the page reaches the menu button; Enter opens it.
  const summary = page.locator('header.top details.menu > summary');
  assert.ok(await summary.isVisible(), 'a menu button is shown');
  let reached = false;
  for (let i = 0; i < 6 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await summary.evaluate((s) => s === document.activeElement);
  }
  assert.ok(reached, 'Tab reaches the menu button');
  await page.keyboard.press('Enter');
  const count = await links.count();
  for (let i = 0; i < count; i += 1) {
    const link = links.nth(i);
    assert.ok(await link.isVisible(), `nav link ${i} (${await textOf(link)}) is shown with the menu open`);
    const box = await link.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 320, `nav link ${await textOf(link)} is within the 320 px window`);
  }
  await assertNoSideScroll(page, 'the start page with the menu open at 320 px');
  await page.keyboard.press('Tab');
  assert.equal(
    await page.evaluate(() => document.activeElement?.closest('header nav') != null),
    true,
    'the next Tab goes into the navigation',
  );
  // Following a link from the menu works.
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/participants'),
    page.locator('header nav a[href="/participants"]').click(),
  ]);
  await assertNoAxeViolations(page, 'the participants list at 320 px');

  // At 1280 px the links are shown as they are, without a menu button.
  await resize(page, 1280);
  await visit(page, '/');
  assert.equal(await summary.isVisible(), false, 'no menu button at 1280 px');
  assert.ok(await links.first().isVisible(), 'the navigation is shown at 1280 px');
  await page.context().close();
});

test('without scripts the menu still opens at 320 px', async () => {
  const page = await openPage(320, { javaScriptEnabled: false });
  await signInAs(page, COORDINATOR);
  const links = page.locator('header nav a[href]');
  await page.locator('header.top details.menu > summary').click();
  assert.ok(await links.first().isVisible(), 'the links show once the menu is opened');
  await assertNoSideScroll(page, 'the start page without scripts, menu open, at 320 px');
  await page.context().close();
});

test('axe at 320 px in Swedish and English: start, participants, record, group, dashboard', async () => {
  const page = await openPage(320);
  await signInAs(page, COORDINATOR);
  await resize(page, 1280);
  const found = await discoverPages(page);
  await resize(page, 320);
  // The dashboard measured before and after is Tillväxt Kvinna's.
  await visit(page, '/');
  const tk = await page
    .locator('section.card', { has: page.getByRole('heading', { name: 'Tillväxt Kvinna', exact: true }) })
    .locator('a[href$="/dashboard"]')
    .getAttribute('href');
  const path = (name) => (name === 'project dashboard' ? tk : found.find((p) => p.name === name)?.path);
  const targets = ['start page', 'nav: Deltagare', 'participant record', 'group page', 'project dashboard'];
  for (const lang of ['sv', 'en']) {
    await setLanguage(page, lang);
    for (const name of targets) {
      assert.ok(path(name), `found the ${name}`);
      await visit(page, path(name));
      await assertNoSideScroll(page, `${name} at 320 px (${lang})`);
      await assertNoAxeViolations(page, `${name} at 320 px (${lang})`);
    }
  }
  await setLanguage(page, 'sv');
  await page.context().close();
});

test('chart text is at least 12 px and no label is cut off (1280 px)', async () => {
  const page = await openPage(1280);
  await signInAs(page, COORDINATOR);
  const found = await discoverPages(page);
  const dashboard = found.find((p) => p.name === 'project dashboard').path;
  const problems = [];
  let texts = 0;
  for (const path of [dashboard, `${dashboard}?by=intervention`, '/dashboard']) {
    await visit(page, path);
    const result = await page.evaluate(() => {
      const out = { texts: 0, problems: [] };
      for (const svg of document.querySelectorAll('svg.chart')) {
        const vb = svg.viewBox.baseVal;
        for (const text of svg.querySelectorAll('text')) {
          out.texts += 1;
          const size = parseFloat(getComputedStyle(text).fontSize);
          const b = text.getBBox();
          const label = `${svg.getAttribute('aria-labelledby')}: "${text.textContent}"`;
          if (size < 12) out.problems.push(`${label} is ${size}px`);
          if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
            out.problems.push(`${label} is cut off: box ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)} in ${vb.width}x${vb.height}`);
          }
        }
      }
      return out;
    });
    texts += result.texts;
    problems.push(...result.problems.map((p) => `${path}: ${p}`));
  }
  assert.ok(texts > 20, `the dashboards have chart text (${texts})`);
  assert.deepEqual(problems, [], `chart text problems:\n  ${problems.join('\n  ')}`);
  await page.context().close();
});

test('the attendance sheet is usable at 320 px: every choice in view and clickable, saving works; axe in sv and en', async () => {
  const page = await openPage(1280);
  await signInAs(page, TEACHER);
  const found = await discoverPages(page);
  const sheet = found.find((p) => p.name === 'attendance sheet')?.path;
  const group = found.find((p) => p.name === 'group page')?.path;
  assert.ok(sheet, `the teacher reaches an attendance sheet; found: ${found.map((p) => p.name).join(', ')}`);
  await resize(page, 320);
  await visit(page, sheet);
  await assertNoSideScroll(page, 'the attendance sheet at 320 px');

  const rows = page.locator('form.attendance tbody tr');
  const n = await rows.count();
  assert.ok(n >= 1, 'the sheet has participants');
  const absentHeader = await textOf(page.locator('form.attendance thead th').nth(3));
  assert.equal(absentHeader, 'Frånvarande', 'the third choice is "Frånvarande"');
  const chosen = [];
  for (let i = 0; i < n; i += 1) {
    const radios = rows.nth(i).locator('input[type=radio]');
    assert.equal(await radios.count(), 3, `row ${i + 1} has three choices`);
    for (let j = 0; j < 3; j += 1) {
      const radio = radios.nth(j);
      await radio.scrollIntoViewIfNeeded();
      const box = await radio.boundingBox();
      assert.ok(box, `row ${i + 1}, choice ${j + 1} is rendered`);
      assert.ok(
        box.x >= 0 && box.x + box.width <= 320,
        `row ${i + 1}, choice ${j + 1} lies within the 320 px window (x ${Math.round(box.x)}..${Math.round(box.x + box.width)})`,
      );
      // Playwright clicks where the radio is and checks that nothing covers it.
      await radio.click();
      assert.ok(await radio.isChecked(), `row ${i + 1}, choice ${j + 1} is checked by a click`);
    }
    // The choices are named to the eye too: "Frånvarande" is shown in the row.
    assert.ok(
      await rows.nth(i).getByText('Frånvarande', { exact: true }).isVisible(),
      `row ${i + 1} shows "Frånvarande"`,
    );
    // Leave rows absent (the last choice), present and absent with notice in turn.
    const value = ['absent', 'present', 'absent_notice'][i % 3];
    await rows.nth(i).locator(`input[type=radio][value="${value}"]`).click();
    chosen.push([await rows.nth(i).locator('input[type=radio]').first().getAttribute('name'), value]);
  }
  await assertNoAxeViolations(page, 'the attendance sheet at 320 px (sv)');

  const response = await submitForm(page, page.getByRole('button', { name: 'Spara närvaro', exact: true }), sheet);
  assert.equal(response.status(), 303, 'saving answers with a redirect');
  assert.equal(new URL(page.url()).pathname, group, 'back on the group page');
  await assertNoSideScroll(page, 'the group page after saving at 320 px');
  await visit(page, sheet);
  for (const [name, value] of chosen) {
    const checked = await page.evaluate((nm) => document.querySelector(`input[name="${nm}"]:checked`)?.value, name);
    assert.equal(checked, value, `${name} was saved as ${value}`);
  }

  await setLanguage(page, 'en');
  await visit(page, sheet);
  await assertNoSideScroll(page, 'the attendance sheet at 320 px (en)');
  await assertNoAxeViolations(page, 'the attendance sheet at 320 px (en)');
  await setLanguage(page, 'sv');
  await page.context().close();
});
