// The portal end to end, in Debian's headless Chromium driven by playwright-core, against a running
// platform (PortalIT in system-tests starts it as `make run` does and passes its addresses here).
// Every page is screenshotted into $ARTIFACTS and checked with axe-core; any console error (a
// Content-Security-Policy refusal, an uncaught exception) fails the test.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { generate as totp } from 'otplib';
import { CHROMIUM_ARGS, compressedJs, dashboardLoads } from './budget.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (PortalIT sets it)`);
  return value;
};
const PORTAL = env('PORTAL_URL');
const OWNER = { email: env('OWNER_EMAIL'), password: env('OWNER_PASSWORD') };
const AGENT = { email: env('AGENT_EMAIL'), password: env('AGENT_PASSWORD') };
const HOOKS = env('HOOKS_URL'); // the local webhook receiver (loopback, on the SSRF allowlist)
const ARTIFACTS = env('ARTIFACTS');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OPENAPI = env('OPENAPI_URLS').split(' '); // every service's /q/openapi, as JSON
const WAIT = 30_000;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const figures = {};
let browser;
let owner; // the owner's page, signed in once and used throughout
let agent; // a support agent's page, in a browser context of its own

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

// The state each page was left in, for reading a failure (overwritten after every test).
afterEach(async () => {
  for (const [name, page] of [['owner', owner], ['agent', agent]]) {
    if (page && !page.isClosed()) await page.screenshot({ path: `${ARTIFACTS}/last-${name}.png` }).catch(() => {});
  }
});

after(async () => {
  writeFileSync(`${ARTIFACTS}/portal-figures.json`, JSON.stringify(figures, null, 2));
  await browser?.close();
});

/** A page in a fresh context that fails the test on any console error or uncaught exception. */
async function freshPage(options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('uncaught: ' + e.message));
  page.on('console', (m) => {
    // A refused request (401, 403, 404) is logged by the browser itself; the tests expect some.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(m.text());
  });
  return page;
}

async function signIn(page, who) {
  await page.goto(PORTAL + '/');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: WAIT });
}

/** The page's screenshot, an axe-core check (WCAG 2 A and AA), and no console errors so far. */
async function check(page, name) {
  await page.waitForLoadState('networkidle');
  // An in-app navigation does not count as a load: wait for the page's own loading states too.
  await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: WAIT });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  await page.evaluate(axeSource); // evaluated by the debugger protocol: no CSP exemption needed
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(violations, [], `accessibility of ${name}`);
  assert.deepEqual(page.problems, [], `console of ${name}`);
}

test('the portal offers each action to exactly the roles the API allows', async () => {
  const TENANT_ROLES = ['owner', 'admin', 'billing', 'analyst', 'support', 'viewer'];
  const allowed = new Map(); // "GET /v1/invoices" -> the tenant roles its security names
  for (const url of OPENAPI) {
    const doc = await getJson(url);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const names = (op.security ?? []).flatMap((s) => Object.values(s).flat());
        // Authenticated without a role list: every tenant role may.
        const roles = op.security && names.length === 0 ? TENANT_ROLES : TENANT_ROLES.filter((r) => names.includes(r));
        allowed.set(`${method.toUpperCase()} ${path}`, roles);
      }
    }
  }
  const table = JSON.parse(readFileSync(new URL('../src/roles.json', import.meta.url), 'utf8'));
  let checked = 0;
  for (const [ability, { operation, roles }] of Object.entries(table)) {
    if (ability === '_comment' || operation === null) continue;
    assert.ok(allowed.has(operation), `${ability}: no operation ${operation} in the OpenAPI`);
    assert.deepEqual([...roles].sort(), [...allowed.get(operation)].sort(), `${ability} (${operation})`);
    checked++;
  }
  assert.ok(checked >= 15, `checked ${checked} abilities`);
});

const nav = (page, label) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true });

test('sign-in explains a wrong password, then signs the owner in', async () => {
  owner = await freshPage();
  await owner.goto(PORTAL + '/');
  await check(owner, '01-sign-in');
  await owner.getByLabel('Email').fill(OWNER.email);
  await owner.getByLabel('Password').fill('not the password');
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByRole('alert').filter({ hasText: 'credentials' }).waitFor({ timeout: WAIT });
  await owner.getByLabel('Password').fill(OWNER.password);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: WAIT });
});

test('the dashboard shows the period, tickets, notifications and budgets', async () => {
  for (const card of ['This period', 'Open tickets', 'Budgets']) {
    await owner.getByRole('region', { name: card }).waitFor();
  }
  await owner.getByTestId('total-so-far').waitFor();
  await check(owner, '02-dashboard');
});

test('a support agent is offered only what the support role can do, and the API agrees', async () => {
  agent = await freshPage();
  await signIn(agent, AGENT);
  await nav(agent, 'Support').waitFor();
  for (const hidden of ['Invoices', 'API keys', 'Webhooks', 'Team']) {
    assert.equal(await nav(agent, hidden).count(), 0, `${hidden} offered to support`);
  }
  await agent.goto(PORTAL + '/invoices');
  await agent.getByRole('alert').filter({ hasText: 'cannot open this page' }).waitFor();
  const status = await agent.evaluate(async () => {
    const token = JSON.parse(sessionStorage.getItem('securebase.session')).accessToken;
    return (await fetch('/v1/invoices', { headers: { Authorization: 'Bearer ' + token } })).status;
  });
  assert.equal(status, 403);
  await nav(agent, 'Notifications').click();
  await agent.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await check(agent, '03-notifications-agent');
});

let subject;
test('the owner opens a ticket; a blank subject is refused next to its field', async () => {
  await nav(owner, 'Support').click();
  await owner.getByRole('heading', { level: 1, name: 'Support' }).waitFor();
  await check(owner, '04-support');
  await owner.getByRole('button', { name: 'New ticket' }).click();
  await owner.getByLabel('Subject').fill(' ');
  await owner.getByLabel('Description').fill('The audit export stops at 10,000 rows.');
  await owner.getByRole('button', { name: 'Create ticket' }).click();
  await owner.getByText('Subject must not be blank', { exact: true }).waitFor({ timeout: WAIT });
  assert.equal(await owner.getByLabel('Subject').getAttribute('aria-invalid'), 'true');
  subject = 'Audit export truncated ' + Date.now().toString(36);
  await owner.getByLabel('Subject').fill(subject);
  await owner.getByLabel('Priority').selectOption('high');
  await owner.getByRole('button', { name: 'Create ticket' }).click();
  await owner.getByRole('heading', { level: 1, name: subject }).waitFor({ timeout: WAIT });
  assert.match(new URL(owner.url()).pathname, /^\/support\/[0-9a-f-]{36}$/);
  await check(owner, '05-ticket');
});

test('the agent sees the new ticket arrive live, and marks it read', async () => {
  const title = 'New ticket: ' + subject;
  const item = agent.getByRole('listitem').filter({ hasText: title });
  await item.waitFor({ timeout: WAIT }); // no reload: it came over the WebSocket
  const unreadNow = () =>
    agent.evaluate(async () => {
      const token = JSON.parse(sessionStorage.getItem('securebase.session')).accessToken;
      const r = await fetch('/v1/notifications/unread-count', { headers: { Authorization: 'Bearer ' + token } });
      return (await r.json()).unreadCount;
    });
  const before = await unreadNow();
  assert.ok(before >= 1);
  await agent.waitForFunction((n) => document.querySelector('[data-testid=unread-badge]')?.textContent === String(n), before, { timeout: WAIT });
  await item.getByRole('button', { name: /^Mark read/ }).click();
  await item.getByRole('button', { name: /^Mark unread/ }).waitFor({ timeout: WAIT });
  assert.equal(await unreadNow(), before - 1);
  await agent.waitForFunction(
    (n) => (document.querySelector('[data-testid=unread-badge]')?.textContent ?? '0') === String(n),
    before - 1,
    { timeout: WAIT },
  );
  await check(agent, '06-notification-arrived');
});

test('the owner opens an invoice and downloads its PDF', async () => {
  await nav(owner, 'Invoices').click();
  await owner.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor();
  const link = owner.getByRole('link', { name: /^INV-/ }).first();
  await link.waitFor({ timeout: WAIT });
  await check(owner, '07-invoices');
  await link.click();
  await owner.getByRole('button', { name: 'Download PDF' }).waitFor({ timeout: WAIT });
  const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Download PDF' }).click()]);
  const path = `${ARTIFACTS}/invoice.pdf`;
  await download.saveAs(path);
  assert.equal(readFileSync(path).subarray(0, 5).toString('latin1'), '%PDF-');
  await check(owner, '08-invoice');
});

test('the owner runs a forecast and its chart is drawn with history, forecast and bands', async () => {
  await nav(owner, 'Forecasts').click();
  await owner.getByRole('heading', { level: 1, name: 'Forecasts' }).waitFor();
  const [response] = await Promise.all([
    owner.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/v1/forecasts', { timeout: WAIT }),
    owner.getByRole('button', { name: 'Run forecast' }).click(),
  ]);
  assert.equal(response.status(), 201);
  const periods = (await response.json()).total.periods.length;
  const chart = owner.getByTestId('forecast-chart');
  // The chart shown is the forecast just run: its caption counts its periods.
  await chart.locator('figcaption').filter({ hasText: `${periods} months forecast` }).waitFor({ timeout: WAIT });
  const { painted, band } = await chart.locator('canvas').evaluate((c) => {
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    let band = 0; // the bands are the indigo areas: blue well above red and green
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] === 0) continue;
      painted++;
      if (pixels[i + 2] > pixels[i] + 40 && pixels[i + 2] > pixels[i + 1] + 40) band++;
    }
    return { painted, band };
  });
  assert.ok(painted > 1000, `the chart painted ${painted} pixels`);
  assert.ok(band > 5000, `the prediction bands painted ${band} pixels (a dashed line alone is ~1,000)`);
  await check(owner, '09-forecasts');
});

let keySecret;
test('the owner creates an API key, sees its secret once, and revokes it', async () => {
  await nav(owner, 'API keys').click();
  await owner.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
  await owner.getByRole('button', { name: 'Create API key' }).click();
  const name = 'portal-e2e-' + Date.now().toString(36);
  await owner.getByLabel('Name', { exact: true }).fill(name);
  await owner.getByRole('checkbox', { name: 'viewer' }).check();
  await owner.getByRole('button', { name: 'Create key' }).click();
  const secret = owner.getByLabel('New API key secret');
  await secret.waitFor({ timeout: WAIT });
  keySecret = (await secret.textContent()).trim();
  assert.match(keySecret, /^sb_live_/);
  assert.equal(await authenticates(keySecret), 200);
  await check(owner, '10-api-key-created');

  // A developer signs in with the key: a viewer is not offered invoices.
  const developer = await freshPage();
  await developer.goto(PORTAL + '/');
  await developer.getByRole('button', { name: 'API key' }).click();
  await developer.getByLabel('API key').fill(keySecret);
  await developer.getByRole('button', { name: 'Sign in' }).click();
  await developer.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: WAIT });
  await developer.getByText('API key · viewer').waitFor();
  assert.equal(await nav(developer, 'Invoices').count(), 0);
  await developer.context().close();

  owner.once('dialog', (d) => d.accept());
  await owner.getByRole('button', { name: `Revoke ${name}` }).click();
  await owner.getByRole('row').filter({ hasText: name }).getByText('Revoked').waitFor({ timeout: WAIT });
  assert.equal(await authenticates(keySecret), 401);
});

test('the owner adds a webhook endpoint, sends a test event and sees it in the delivery log', async () => {
  await nav(owner, 'Webhooks').click();
  await owner.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
  await owner.getByRole('button', { name: 'Add endpoint' }).click(); // opens the form
  const url = `${HOOKS}/hooks/portal-${Date.now().toString(36)}`;
  await owner.getByLabel('URL').fill(url);
  await owner.getByLabel('Description').fill('Portal end-to-end receiver');
  await owner.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = owner.getByLabel('Endpoint signing secret');
  await secret.waitFor({ timeout: WAIT }); // shown once, before leaving the page
  assert.match((await secret.textContent()).trim(), /^whsec_/);
  await owner.getByRole('button', { name: 'Open endpoint' }).click();
  await owner.getByRole('heading', { level: 1, name: url }).waitFor({ timeout: WAIT });
  await owner.getByRole('button', { name: 'Send test event' }).click();
  const log = owner.getByRole('region', { name: 'Delivery log' });
  await log.getByRole('row').filter({ hasText: 'securebase.webhooks.endpoint.test' }).filter({ hasText: 'Succeeded' }).waitFor({ timeout: WAIT });
  const path = new URL(url).pathname;
  const delivered = await untilTrue(async () => (await getJson(HOOKS + '/hooks')).find((h) => h.path === path));
  assert.ok(delivered, 'the receiver got the test event');
  assert.match(delivered.headers['webhook-signature'], /^v1,/);
  await check(owner, '11-webhook-endpoint');
});

test('analytics, team and settings pages load and pass the checks', async () => {
  for (const [label, shot, content] of [
    ['Analytics', '12-analytics', (p) => p.getByRole('button', { name: 'Run query' })],
    ['Team', '13-team', (p) => p.getByRole('region', { name: 'Members' }).getByRole('row').filter({ hasText: OWNER.email })],
    ['Settings', '14-settings', (p) => p.getByRole('region', { name: 'Organisation' })],
  ]) {
    await nav(owner, label).click();
    await owner.getByRole('heading', { level: 1, name: label }).waitFor();
    await content(owner).waitFor({ timeout: WAIT });
    await check(owner, shot);
  }
});

test('the owner runs an analytics query, sees its chart and saves it as a report', async () => {
  await nav(owner, 'Analytics').click();
  await owner.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
  await owner.getByRole('checkbox', { name: 'support.tickets.created' }).check();
  await owner.getByRole('button', { name: 'Run query' }).click();
  await owner.getByRole('figure', { name: 'Query chart' }).locator('canvas').waitFor({ timeout: WAIT });
  await owner.getByLabel('Report name').fill('Tickets this week');
  await owner.getByRole('button', { name: 'Save as report' }).click();
  await owner.getByRole('status').filter({ hasText: 'Saved the report' }).waitFor({ timeout: WAIT });
  await check(owner, '15-analytics-query');
});

test('branding saved in settings is applied to the portal at once', async () => {
  await nav(owner, 'Settings').click();
  const colour = owner.getByLabel('Primary colour hex');
  const previous = await colour.inputValue();
  await colour.fill('#0f766e');
  await owner.getByRole('button', { name: 'Save settings' }).click();
  await owner.getByText('Settings saved.').waitFor({ timeout: WAIT });
  const active = nav(owner, 'Settings');
  assert.equal(await active.evaluate((a) => getComputedStyle(a).backgroundColor), 'rgb(15, 118, 110)');
  await check(owner, '16-settings-branded');
  await colour.fill(previous); // as it was, for whoever uses this tenant next
  await owner.getByRole('button', { name: 'Save settings' }).click();
  await owner.getByText('Settings saved.').waitFor({ timeout: WAIT });
});

test('the agent turns on two-factor authentication and signs in with a code', async () => {
  await nav(agent, 'Settings').click();
  const card = agent.getByRole('region', { name: 'Two-factor authentication' });
  await card.getByRole('button', { name: 'Set up' }).click();
  const secret = (await card.getByLabel('Authenticator secret').textContent()).trim();
  await card.getByLabel('Code', { exact: true }).fill(await totp({ secret }));
  await card.getByRole('button', { name: 'Confirm' }).click();
  await card.getByLabel('Recovery codes').waitFor({ timeout: WAIT });
  await check(agent, '17-two-factor-on');
  await agent.getByRole('button', { name: 'Sign out' }).click();
  await agent.getByLabel('Email').fill(AGENT.email);
  await agent.getByLabel('Password').fill(AGENT.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  const code = agent.getByLabel('Authenticator code');
  await code.waitFor({ timeout: WAIT });
  await check(agent, '18-sign-in-code');
  // The next period's code: the one just used to confirm cannot be used twice.
  await code.fill(await totp({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: WAIT });
});

test('the portal works from the keyboard: skip link, navigation, a form', async () => {
  const focused = () =>
    owner.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), id: document.activeElement?.id, outline: getComputedStyle(document.activeElement).outlineStyle }));
  const home = async () => {
    await owner.goto(PORTAL + '/');
    await owner.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: WAIT });
  };
  await home();
  await owner.keyboard.press('Tab');
  const skip = await focused();
  assert.equal(skip.text, 'Skip to content');
  assert.notEqual(skip.outline, 'none', 'the focused element is visibly outlined');
  await owner.keyboard.press('Enter');
  assert.equal((await focused()).id, 'main');

  await home();
  for (let i = 0; i < 4 && (await focused()).text !== 'Support'; i++) await owner.keyboard.press('Tab');
  assert.equal((await focused()).text, 'Support');
  await owner.keyboard.press('Enter');
  await owner.getByRole('heading', { level: 1, name: 'Support' }).waitFor({ timeout: WAIT });
  assert.equal((await focused()).id, 'main', 'a navigation moves focus into the new page');
  for (let i = 0; i < 10 && (await focused()).text !== 'New ticket'; i++) await owner.keyboard.press('Tab');
  assert.equal((await focused()).text, 'New ticket');
  await owner.keyboard.press('Enter');
  await owner.getByLabel('Subject').waitFor({ timeout: WAIT });
});

test('budget: the dashboard cold load is measured beside its API floor; the compressed JavaScript stays under 300 KB', async () => {
  const accessToken = await owner.evaluate(() => JSON.parse(sessionStorage.getItem('securebase.session')).accessToken);
  const { loads, floors } = await dashboardLoads(browser, PORTAL, accessToken, 5);
  const spread = (runs) => ({ runs, median: [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)], max: Math.max(...runs) });
  figures.dashboardColdLoadMs = spread(loads);
  figures.dashboardApiCallsMs = spread(floors);
  figures.compressedJs = await compressedJs(PORTAL);
  assert.ok(figures.compressedJs.allChunksBytes < 300 * 1024, `all JavaScript compressed: ${figures.compressedJs.allChunksBytes} bytes`);
});

async function authenticates(apiKey) {
  const r = await fetch(PORTAL + '/v1/auth/authenticate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  return r.status;
}

async function getJson(url) {
  return (await fetch(url)).json();
}

/** What poll answers once it answers something truthy, or undefined after WAIT. */
async function untilTrue(poll) {
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    const answer = await poll();
    if (answer) return answer;
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}


test('where the tenant requires two-factor authentication, a new member sets it up before anything else', async () => {
  const session = JSON.parse(await owner.evaluate(() => sessionStorage.getItem('securebase.session')));
  const asOwner = (method, path, body) =>
    fetch(PORTAL + path, {
      method,
      headers: { Authorization: 'Bearer ' + session.accessToken, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }));
  const tenant = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url')).tenant;
  const email = `member-${Date.now().toString(36)}@portal-e2e.example.com`;
  const password = 'member passphrase 42';
  const invited = await asOwner('POST', '/v1/users', { email, roles: ['viewer'] });
  assert.equal(invited.status, 201);
  const accepted = await fetch(PORTAL + '/v1/auth/invitations/accept', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: invited.body.token, password }),
  });
  assert.equal(accepted.status, 200);
  assert.equal((await asOwner('PATCH', '/v1/tenants/' + tenant, { mfaRequired: true })).status, 200);
  try {
    const member = await freshPage();
    await member.goto(PORTAL + '/');
    await member.getByLabel('Email').fill(email);
    await member.getByLabel('Password').fill(password);
    await member.getByRole('button', { name: 'Sign in' }).click();
    await member.getByRole('heading', { level: 1, name: 'Set up two-factor authentication' }).waitFor({ timeout: WAIT });
    await member.getByRole('button', { name: 'Set up' }).click();
    await member.getByRole('img', { name: 'QR code of the authenticator setup URI' }).waitFor({ timeout: WAIT });
    const secret = (await member.getByLabel('Authenticator secret').textContent()).trim();
    await member.getByLabel('Code', { exact: true }).fill(await totp({ secret }));
    await member.getByRole('button', { name: 'Confirm' }).click();
    await member.getByLabel('Recovery codes').waitFor({ timeout: WAIT });
    await check(member, '19-mfa-enrolment');
    await member.getByRole('button', { name: 'Sign in again' }).click();
    await member.getByLabel('Email').fill(email);
    await member.getByLabel('Password').fill(password);
    await member.getByRole('button', { name: 'Sign in' }).click();
    await member.getByLabel('Authenticator code').fill(await totp({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await member.getByRole('button', { name: 'Sign in' }).click();
    await member.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: WAIT });
    await member.context().close();
  } finally {
    await asOwner('PATCH', '/v1/tenants/' + tenant, { mfaRequired: false });
  }
});
