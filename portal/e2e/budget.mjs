// The portal's budget figures (issue 21): cold loads of the dashboard beside the dashboard's own API
// calls made without the app (the floor, measured in the same run), and the compressed bytes of
// every JavaScript chunk the app can load. The e2e test asserts the size; bench/PortalBenchmark runs
// this file on its own (`node e2e/budget.mjs`) and reports the timings beside their floor.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

/** Debian's Chromium, with what it needs on a machine with a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the dashboard asks the API for on its first load. */
const DASHBOARD_CALLS = ['/v1/metrics', '/v1/support/tickets?status=open&sort=-createdAt&limit=5', '/v1/notifications?read=false&limit=5', '/v1/budgets'];

/**
 * `runs` cold loads (a new browser context each: empty cache, as a first visit) until every card of
 * the dashboard has loaded, and as many rounds of its API calls from a page.
 */
export async function dashboardLoads(browser, portal, accessToken, runs) {
  // The access token only: contexts refreshing one refresh token would look like token theft.
  const stored = JSON.stringify({ accessToken });
  const loads = [];
  const floors = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript((t) => sessionStorage.setItem('securebase.session', t), stored);
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(portal + '/');
    await page.getByTestId('total-so-far').waitFor({ timeout: 30_000 });
    // Every card loaded: tickets, notifications and budgets too.
    await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 30_000 });
    loads.push(Date.now() - started);
    floors.push(
      await page.evaluate(
        async ([token, calls]) => {
          const headers = { Authorization: 'Bearer ' + token };
          const t0 = performance.now();
          await Promise.all(calls.map((u) => fetch(u, { headers, cache: 'no-store' }).then((r) => r.text())));
          return Math.round(performance.now() - t0);
        },
        [accessToken, DASHBOARD_CALLS],
      ),
    );
    await context.close();
  }
  return { loads, floors };
}

/** The entry script and every chunk it can load, as the gateway sends them with gzip accepted. */
export async function compressedJs(portal) {
  const index = await fetchGzip(portal + '/');
  const entry = [...index.body.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1])[0];
  if (!entry) throw new Error('index.html loads no built entry script (a dev server?)');
  const sizes = new Map();
  const queue = [entry];
  while (queue.length > 0) {
    const chunk = queue.shift();
    if (sizes.has(chunk)) continue;
    const fetched = await fetchGzip(portal + chunk);
    sizes.set(chunk, fetched.wireBytes);
    // A chunk names the chunks it loads as "./x.js" or "assets/x.js".
    for (const m of fetched.body.matchAll(/["'`](?:\.\/|\/?assets\/)([\w.-]+\.js)["'`]/g)) queue.push('/assets/' + m[1]);
  }
  return { entryBytes: sizes.get(entry), allChunksBytes: [...sizes.values()].reduce((a, b) => a + b, 0), chunks: sizes.size };
}

function fetchGzip(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'Accept-Encoding': 'gzip', Accept: 'text/html,*/*' } }, (res) => {
        const parts = [];
        res.on('data', (p) => parts.push(p));
        res.on('end', () => {
          const raw = Buffer.concat(parts);
          const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
          resolve({ wireBytes: raw.length, body: body.toString('utf8') });
        });
      })
      .on('error', reject);
  });
}

// On its own: PORTAL_URL, OWNER_EMAIL, OWNER_PASSWORD, RUNS; prints the figures as one JSON line.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const portal = process.env.PORTAL_URL;
  const signedIn = await fetch(portal + '/v1/auth/authenticate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: process.env.OWNER_EMAIL, password: process.env.OWNER_PASSWORD }),
  });
  if (!signedIn.ok) throw new Error('sign-in refused: ' + signedIn.status);
  const { accessToken } = await signedIn.json();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // Services just started answer their first requests slowly (JIT, pools): not a user's first visit.
    await dashboardLoads(browser, portal, accessToken, 2);
    const timings = await dashboardLoads(browser, portal, accessToken, Number(process.env.RUNS ?? 10));
    console.log(JSON.stringify({ ...timings, js: await compressedJs(portal) }));
  } finally {
    await browser.close();
  }
}
