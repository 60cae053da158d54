/**
 * Finds a Chromium for the e2e tests on any machine, in this order:
 *  1. $CHROMIUM_PATH or $PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
 *  2. Debian's /usr/bin/chromium (or chromium-browser / google-chrome on PATH),
 *  3. Playwright's own downloaded browser, where `npx playwright install chromium` worked,
 *  4. as root on Debian/Ubuntu: `apt-get install -y chromium`, then /usr/bin/chromium.
 * Otherwise it stops with a message that says exactly what to install.
 */
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function playwrightOwn(): string | undefined {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function isRootOnDebian(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/bin/apt-get');
}

export function findBrowser(): string {
  const fromEnv = process.env.CHROMIUM_PATH ?? process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const system = SYSTEM_CANDIDATES.find((p) => existsSync(p));
  if (system) return system;
  const own = playwrightOwn();
  if (own) return own;
  if (isRootOnDebian()) {
    console.error('[e2e] No Chromium found; installing Debian\'s chromium with apt-get …');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error(
    'No Chromium found for the e2e tests. Install one of: Debian/Ubuntu `sudo apt-get install chromium`, ' +
      'or `npx playwright install chromium`, or set CHROMIUM_PATH=/path/to/chrome.',
  );
}

/** Flags for a sandboxed CI machine with no GPU and a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
