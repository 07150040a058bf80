/**
 * Browser tests of the screens (issue #4): Debian's chromium driven by playwright-core against the
 * real app (buildApp + demo, fixed clock 2026-11-23) listening on 127.0.0.1. The web bundle is built
 * first when web/dist is missing or older than web/src (a lock keeps parallel files from racing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { fixedClock, type ServiceContext } from '../../src/services/context.js';
import { type DemoResult, loadDemo } from '../../src/services/demo.js';
import { openTestContext } from '../support/stores.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Browser tests run only where Debian's chromium is installed (CI installs it: .ci/run). */
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** A click-through takes seconds alone and much longer beside the rest of the suite on 2 cores. */
export const BROWSER_TEST_TIMEOUT = 120_000;
export const SKIP_REASON = `${CHROMIUM} is missing: apt-get install chromium (the browser tests need it)`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENS_DIR = join(ROOT, '.test-results', 'screens');

/** The flags of shared/reference/toolchain.md §6: headless, no sandbox (root in CI), no network chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Builds web/dist unless it is newer than every source of the bundle (web/src, the domain it imports). */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(join(ROOT, 'web', 'src')),
    newestMtime(join(ROOT, 'src', 'domain')),
    statSync(join(ROOT, 'web', 'index.html')).mtimeMs,
  );
  const fresh = () => existsSync(index) && statSync(index).mtimeMs >= sources;
  if (fresh()) return;
  const lock = join(ROOT, 'web', '.build-lock');
  for (let i = 0; i < 600; i++) {
    try {
      mkdirSync(lock);
    } catch {
      // A lock left by a killed run (older than any build takes) is taken over.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmdirSync(lock);
      await sleep(200);
      continue;
    }
    try {
      if (!fresh()) {
        execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'], {
          cwd: ROOT,
          stdio: 'pipe',
        });
      }
    } finally {
      rmdirSync(lock);
    }
    return;
  }
  throw new Error(`web build lock ${lock} held for 2 minutes`);
}

export interface Harness {
  ctx: ServiceContext;
  app: FastifyInstance;
  demo: DemoResult;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The demo app on an ephemeral port, and a browser. */
export async function startHarness(): Promise<Harness> {
  await ensureWebBuilt();
  mkdirSync(SCREENS_DIR, { recursive: true });
  const ctx = await openTestContext('sqlite', fixedClock('2026-11-23T01:00:00Z'));
  const app = await buildApp({ ctx });
  const demo = await loadDemo(app, ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    ctx,
    app,
    demo,
    base,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await ctx.store.close();
    },
  };
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function newPage(
  h: Harness,
  viewport = DESKTOP,
  options: { acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({
    viewport,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    acceptDownloads: options.acceptDownloads ?? false,
    // The pages' CSP forbids inline scripts, which is how axe-core is injected.
    bypassCSP: true,
    ...(viewport === PHONE ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  // Fail fast with the locator in the message, well inside the test's own timeout.
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { jsErrors?: string[] }).jsErrors = errors;
  return { context, page };
}

/** Logs a token-gated screen in: paste the token, start. */
export async function loginWithToken(page: Page, token: string): Promise<void> {
  await page.getByLabel('アクセストークン').fill(token);
  await page.getByRole('button', { name: '開始' }).click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** axe-core on the page as it stands: no serious or critical violation (WCAG 2.x A/AA rules). */
const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
};

/** axe-core on the page as it stands: no serious or critical violation (WCAG 2.x A/AA rules). */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Browser-side code is passed as text: the Node tsconfig has no DOM types.
  if (!(await page.evaluate("'axe' in window"))) await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(
    `axe.run(document, ${JSON.stringify(AXE_OPTIONS)}).then((r) => r.violations)`,
  )) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n  ')}`,
  );
  expect(report, `axe on ${label}`).toEqual([]);
}

/** Nothing wider than the viewport (a phone must never scroll sideways). */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth, offenders } = (await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + '.' + el.className);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, offenders: wide };
  })()`)) as { scrollWidth: number; clientWidth: number; offenders: string[] };
  expect(offenders, 'elements past the right edge').toEqual([]);
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

export function jsErrors(page: Page): string[] {
  return (page as Page & { jsErrors?: string[] }).jsErrors ?? [];
}
