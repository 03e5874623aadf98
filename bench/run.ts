// `npm run bench`: ours against the browser's floor, in the same run, in headless Chromium and Firefox.
// See README.md ("Performance") for what is measured and how.
//   npm run bench                       everything, both browsers
//   npm run bench -- --browser chromium one browser
//   npm run bench -- --quick            fewer samples (a smoke run; its figures are not for the README)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '../scripts/build-target.ts';
import { createDemoRealm, IAGO } from '../test/fake-zulip/demo-realm.ts';
import { startFakeZulip, type FakeZulipServer } from '../test/fake-zulip/fake-zulip-server.ts';
import { launchExtensionBrowser, type BrowserKind, type ExtensionBrowser, type PageDriver } from '../test/e2e/harness/extension-browser.ts';
import { pollUntil } from '../test/e2e/harness/util.ts';
import { buildAll, floorDir, oursDir, productDir, ROOT } from './build.ts';
import { interleaved } from './interleave.ts';
import { readPopupMarks, readSignInTimes, seedAccounts, seedFloor, timeRoundTrips, watchSignIn } from './in-browser.ts';
import { kB, toJson, toMarkdown, toText, type Row, type Target } from './report.ts';
import { builtContexts, CONTEXTS, measureFiles, type Context } from './sizes.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({ options: { browser: { type: 'string', multiple: true }, quick: { type: 'boolean', default: false } } });
const KINDS = (values.browser ?? ['chromium', 'firefox']) as BrowserKind[];
const QUICK = values.quick;
const TARGET_OF: Record<BrowserKind, Browser> = { chromium: 'chrome', firefox: 'firefox' };

const ROUND_TRIPS = QUICK ? 200 : 1000;
const BATCH = 50;
const POPUP_LOADS = QUICK ? 5 : 20;
const COLD_STARTS = QUICK ? 5 : 20;
const SIGN_INS = QUICK ? 3 : 10;
const ACCOUNT_SIZES = [1, 1000, 10000];
/** Our limit is 60 per tab per minute: no tab is asked more than this, ever, so no call is refused. */
const CALLS_PER_TAB = 55;

const TARGETS = {
  roundTrip: { kind: 'ratio', max: 1.3 },
  roundTripGrowth: { kind: 'ratio', max: 1.1 },
  popup: { kind: 'ratio', max: 1.3 },
  coldStart: { kind: 'ratio', max: 1.3 },
  signIn: { kind: 'ms', max: 50 },
} satisfies Record<string, Target>;
const GZIP_TARGETS: Record<Context, number> = { popup: 12_000, background: 16_000, 'content script': 5_000 };

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);

function notMeasured(measure: string, browser: string, target: Target, error: unknown): Row {
  console.error(`  ${measure} (${browser}) not measured: ${errorText(error)}`);
  return { measure, browser, ours: null, floor: null, target, note: errorText(error) };
}

function sizeRows(): Row[] {
  // The JS is the same in both builds (see scripts/build-target.ts); sizes are of the Chrome product build.
  const { read, files } = builtContexts(productDir('chrome'));
  return CONTEXTS.flatMap((context) => {
    const { first, later } = files[context];
    const size = measureFiles(first, read);
    const rows: Row[] = [
      {
        measure: `shipped size: ${context === 'popup' ? 'popup before its first view' : context}`,
        browser: 'both',
        ours: { median: size.gzip, p95: size.gzip, n: 1 },
        floor: null,
        target: { kind: 'gzip-bytes', max: GZIP_TARGETS[context] },
        rawBytes: size.raw,
        note: first.filter((f) => !f.endsWith('.html')).join(', '),
      },
    ];
    if (later.length > 0) {
      const lazy = measureFiles(later, read);
      rows.push({
        measure: `shipped size: ${context}, loaded later`,
        browser: 'both',
        ours: { median: lazy.gzip, p95: lazy.gzip, n: 1 },
        floor: null,
        target: { kind: 'none' },
        rawBytes: lazy.raw,
        note: `for context: ${lazy.files.map((f) => `${f.file} ${kB(f.gzip)}`).join(', ')}`,
      });
    }
    return rows;
  });
}

/** Content-script tabs on the realm, each retired before it could reach our per-tab limit. */
function tabPool(browser: ExtensionBrowser, url: string) {
  let tab: { page: PageDriver; used: number } | null = null;
  return {
    async run<T>(calls: number, fn: (...args: never[]) => T | Promise<T>, ...args: unknown[]): Promise<T> {
      if (!tab || tab.used + calls > CALLS_PER_TAB) {
        await tab?.page.close();
        tab = { page: await browser.openPage(url), used: 0 };
      }
      tab.used += calls;
      return browser.runInContentScript(url, fn as (...a: unknown[]) => T | Promise<T>, ...args);
    },
    async close() {
      await tab?.page.close();
    },
  };
}

async function signInOnce(popup: PageDriver, server: FakeZulipServer): Promise<number> {
  server.clearRateLimits();
  await popup.clickButton('Add account');
  await popup.fillByLabel('Server URL', server.url);
  await popup.clickButton('Continue');
  await popup.fillByLabel('Email', IAGO.email);
  await popup.fillByLabel('Password', IAGO.password);
  await popup.evaluate(watchSignIn);
  const before = server.requests.length;
  await popup.clickButton('Log in');
  const times = await pollUntil(() => popup.evaluate(readSignInTimes).then((t) => t ?? undefined), 10_000, 'the account list after Log in', 5);
  const serverMs = server.requests
    .slice(before)
    .filter((r) => r.path.startsWith('/api/'))
    .reduce((sum, r) => sum + (r.handlingMs ?? 0), 0);
  return times.shown - times.click - serverMs;
}

async function popupLoad(browser: ExtensionBrowser, accounts: number) {
  const popup = await browser.openPopup();
  try {
    const marks = await pollUntil(() => popup.evaluate(readPopupMarks).then((m) => m ?? undefined), 10_000, 'the popup marks', 10);
    if (marks.items < accounts) throw new Error(`the popup listed ${marks.items} accounts, not ${accounts}`);
    return marks;
  } finally {
    await popup.close();
  }
}

/** The three browsers of one kind: ours, the floor, and an identical copy of the floor (its noise). */
interface Side {
  browser: ExtensionBrowser;
  tabs: ReturnType<typeof tabPool>;
}
type Sides = Record<'ours' | 'floor' | 'floorCopy', Side>;

const noiseNote = 'noise: an identical copy of the floor against the floor';

/** Both floors given the account records ours holds now, each sealed with that floor's own key. */
async function seedFloors(sides: Sides): Promise<void> {
  const records = Object.fromEntries(Object.entries(await sides.ours.browser.readStorageLocal()).filter(([key]) => key.startsWith('account:')));
  for (const floor of [sides.floor, sides.floorCopy]) await floor.browser.evaluateInExtensionPage(seedFloor, records);
}

async function popupRows(kind: BrowserKind, sides: Sides, accounts: number): Promise<Row[]> {
  await seedFloors(sides);
  const fromModule = { ours: [] as number[], floor: [] as number[] };
  const load = (side: keyof Sides) => async () => {
    const marks = await popupLoad(sides[side].browser, accounts);
    if (side !== 'floorCopy') fromModule[side].push(marks.listReady - marks.moduleStart);
    return [marks.listReady];
  };
  const fromNavigation = await interleaved(POPUP_LOADS, { ours: load('ours'), floor: load('floor'), floorCopy: load('floorCopy') });
  const measure = `popup: navigation start → list, ${accounts} ${accounts === 1 ? 'account' : 'accounts'}`;
  return [
    { measure, browser: kind, ours: summarize(fromNavigation.ours), floor: summarize(fromNavigation.floor), target: TARGETS.popup },
    { measure: `${measure}, floor vs floor`, browser: kind, ours: summarize(fromNavigation.floorCopy), floor: summarize(fromNavigation.floor), target: { kind: 'none' }, note: noiseNote },
    {
      measure: measure.replace('navigation start', 'module start'),
      browser: kind,
      ours: summarize(fromModule.ours),
      floor: summarize(fromModule.floor),
      target: { kind: 'none' },
      note: 'for context: without loading and evaluating the code before the first module',
    },
  ];
}

async function coldStartRows(kind: BrowserKind, sides: Sides): Promise<Row[]> {
  const cold = (side: Side, floorMessage: string | null) => async () => {
    await side.browser.stopBackground();
    return side.tabs.run(1, timeRoundTrips, 1, floorMessage);
  };
  const samples = await interleaved(COLD_STARTS, {
    ours: cold(sides.ours, null),
    floor: cold(sides.floor, 'credentials.get'),
    floorCopy: cold(sides.floorCopy, 'credentials.get'),
    constant: cold(sides.floor, 'constant'),
  });
  const measure = 'cold start: stopped background → credentials.get answered, 1 account';
  return [
    { measure, browser: kind, ours: summarize(samples.ours), floor: summarize(samples.floor), target: TARGETS.coldStart },
    { measure: `${measure}, floor vs floor`, browser: kind, ours: summarize(samples.floorCopy), floor: summarize(samples.floor), target: { kind: 'none' }, note: noiseNote },
    {
      measure: `${measure}, constant-answer floor`,
      browser: kind,
      ours: summarize(samples.ours),
      floor: summarize(samples.constant),
      target: { kind: 'none' },
      note: 'for context: a worker that starts and answers without reading anything',
    },
  ];
}

async function browserRows(kind: BrowserKind): Promise<Row[]> {
  const rows: Row[] = [];
  const target = TARGET_OF[kind];
  const server = await startFakeZulip({ realm: createDemoRealm() });
  const prefs = { firefoxPrefs: { 'privacy.reduceTimerPrecision': false } };
  const launched: Side[] = [];
  const launch = async (distDir: string) => {
    const browser = await launchExtensionBrowser(kind, { distDir, ...prefs });
    const side = { browser, tabs: tabPool(browser, `${server.url}/`) };
    launched.push(side);
    return side;
  };
  const step = async (what: string, fn: () => Promise<Row[]>, fallback: () => Row[]) => {
    console.log(`${kind}: ${what}`);
    try {
      rows.push(...(await fn()));
    } catch (error) {
      rows.push(...fallback().map((row) => notMeasured(row.measure, kind, row.target, error)));
    }
  };
  const placeholder = (measure: string, t: Target): Row => ({ measure, browser: kind, ours: null, floor: null, target: t });
  const popupPlaceholder = (accounts: number) => () => [placeholder(`popup: navigation start → list, ${accounts} ${accounts === 1 ? 'account' : 'accounts'}`, TARGETS.popup)];
  try {
    const sides: Sides = { ours: await launch(oursDir(target)), floor: await launch(floorDir(target)), floorCopy: await launch(floorDir(target)) };
    const { ours } = sides;
    await step('popup, 0 accounts', () => popupRows(kind, sides, 0), popupPlaceholder(0));

    await step(
      'sign-in',
      async () => {
        const samples: number[] = [];
        const popup = await ours.browser.openPopup();
        try {
          for (let i = 0; i < SIGN_INS; i++) samples.push(await signInOnce(popup, server));
        } finally {
          await popup.close();
        }
        return [{ measure: 'sign-in: Log in → account shown, minus server time', browser: kind, ours: summarize(samples), floor: null, target: TARGETS.signIn }];
      },
      () => [placeholder('sign-in: Log in → account shown, minus server time', TARGETS.signIn)],
    );

    await step('popup, 1 account', () => popupRows(kind, sides, 1), popupPlaceholder(1));
    await step('cold start', () => coldStartRows(kind, sides), () => [placeholder('cold start: stopped background → credentials.get answered, 1 account', TARGETS.coldStart)]);

    const template = Object.entries(await ours.browser.readStorageLocal()).find(([key]) => key === `account:${server.url}`)?.[1];
    const medians: Record<number, number> = {};
    for (const accounts of ACCOUNT_SIZES) {
      const measure = `credentials.get round trip, ${accounts} ${accounts === 1 ? 'account' : 'accounts'}`;
      await step(
        measure,
        async () => {
          if (!template) throw new Error('the sign-in stored no account to measure with');
          const stored = await ours.browser.evaluateInExtensionPage(seedAccounts, accounts, template as Record<string, unknown>);
          if (stored !== accounts) throw new Error(`storage holds ${stored} accounts, not ${accounts}`);
          const oursBatch = () => ours.tabs.run(BATCH, timeRoundTrips, BATCH, null);
          const floorBatch = () => sides.floor.tabs.run(BATCH, timeRoundTrips, BATCH, 'constant');
          // Warm-up, not counted.
          await oursBatch();
          await floorBatch();
          const samples = await interleaved(ROUND_TRIPS / BATCH, { ours: oursBatch, floor: floorBatch });
          const row: Row = { measure, browser: kind, ours: summarize(samples.ours), floor: summarize(samples.floor), target: TARGETS.roundTrip };
          medians[accounts] = row.ours!.median;
          const grown: Row[] = [];
          if (accounts !== 1 && medians[1] !== undefined) {
            grown.push({
              measure: `credentials.get, ${accounts} accounts against 1 account`,
              browser: kind,
              ours: row.ours,
              floor: { median: medians[1], p95: medians[1], n: 1 },
              target: TARGETS.roundTripGrowth,
              note: 'floor column: our 1-account median',
            });
          }
          return [row, ...grown];
        },
        () => [placeholder(measure, TARGETS.roundTrip)],
      );
      if (accounts === 1) {
        await step(
          'popup, 100 accounts',
          async () => {
            await ours.browser.evaluateInExtensionPage(seedAccounts, 100, template as Record<string, unknown>);
            return popupRows(kind, sides, 100);
          },
          popupPlaceholder(100),
        );
      }
    }
  } finally {
    for (const side of launched) {
      await side.tabs.close().catch(() => {});
      await side.browser.close();
    }
    await server.close();
  }
  return rows;
}

function browserVersion(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

console.log('Building…');
await buildAll(KINDS.map((kind) => TARGET_OF[kind]));
const rows: Row[] = [];
for (const kind of KINDS) {
  try {
    rows.push(...(await browserRows(kind)));
  } catch (error) {
    rows.push(notMeasured('every browser measure', kind, { kind: 'none' }, error));
  }
}
rows.push(...sizeRows());

const environment = {
  date: new Date().toISOString(),
  chromium: KINDS.includes('chromium') ? browserVersion(process.env.CHROMIUM_BIN ?? '/usr/bin/chromium') : undefined,
  firefox: KINDS.includes('firefox') ? browserVersion(process.env.FIREFOX_BIN ?? '/usr/lib/firefox-esr/firefox-esr') : undefined,
  node: process.version,
  cpus: cpus().length,
};
console.log(`\n${toText(rows)}\n`);
const out = join(ROOT, 'bench', 'results', QUICK ? 'quick' : '');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'latest.json'), toJson(rows, environment));
writeFileSync(join(out, 'latest.md'), `${toMarkdown(rows)}\n\n${QUICK ? 'Quick run (fewer samples). ' : ''}${environment.date}, ${environment.chromium ?? ''} ${environment.firefox ?? ''}, Node ${environment.node}, ${environment.cpus} CPUs.\n`);
console.log(`Written to ${join(out, 'latest.json')} and latest.md`);
