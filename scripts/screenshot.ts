/**
 * Takes the README screenshot: the built studio (npm run build) with a bundled sample open.
 * Run: npx vite preview --port 4318 & npx tsx scripts/screenshot.ts http://127.0.0.1:4318 docs/screenshot.png
 */
import { chromium } from '@playwright/test';
import { findBrowser, CHROMIUM_ARGS } from '../e2e/find-browser';

const [url = 'http://127.0.0.1:4318', out = 'docs/screenshot.png'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: findBrowser(), args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
await page.goto(url);
await page.getByRole('list', { name: 'Sample models' }).getByRole('button').first().click();
await page.getByRole('region', { name: 'CPU compatibility' }).getByText(/runs every operator|cannot run/).waitFor({ timeout: 60_000 });
await page.screenshot({ path: out, fullPage: false });
await browser.close();
console.log(`wrote ${out}`);
