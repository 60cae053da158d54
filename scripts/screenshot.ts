/**
 * Takes the README screenshots from the built studio (npm run build), with a bundled sample open:
 * docs/screenshot.png (Overview), docs/screenshot-graph.png (Graph tab with a node inspected) and
 * docs/screenshot-optimize.png (an int8 static variant of the sample with its per-layer decisions) and
 * docs/screenshot-lab.png (the Benchmark tab: the original, fp16 and int8 variants measured side by side).
 * Run: npx vite preview --port 4318 & npx tsx scripts/screenshot.ts http://127.0.0.1:4318
 */
import { chromium } from '@playwright/test';
import { findBrowser, CHROMIUM_ARGS } from '../e2e/find-browser';

const [url = 'http://127.0.0.1:4318'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: findBrowser(), args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
await page.goto(url);
await page.getByRole('list', { name: 'Sample models' }).getByRole('button').first().click();
await page.getByRole('region', { name: 'CPU compatibility' }).getByText(/runs every operator|cannot run/).waitFor({ timeout: 60_000 });
await page.screenshot({ path: 'docs/screenshot.png' });
await page.getByRole('tab', { name: 'Graph' }).click();
const graph = page.getByRole('region', { name: 'Model graph' });
await graph.getByRole('searchbox', { name: 'Find node' }).fill('Conv');
await graph.getByRole('listbox', { name: 'Search results' }).getByRole('option').nth(1).click();
await page.getByRole('complementary', { name: 'Inspector' }).getByRole('figure').first().waitFor({ timeout: 30_000 });
await page.waitForTimeout(500);
await page.screenshot({ path: 'docs/screenshot-graph.png' });
await page.getByRole('button', { name: 'Close inspector' }).click();
await page.getByRole('tab', { name: 'Optimize' }).click();
const panel = page.getByRole('region', { name: 'Optimize' });
await panel.getByRole('checkbox', { name: 'Int8 static (QDQ)' }).check();
await panel.getByLabel('Placement').selectOption('all');
await panel.getByRole('button', { name: 'Apply' }).click();
const variant = panel.getByRole('list', { name: 'Variants' }).locator(':scope > li').first();
await variant.waitFor({ timeout: 60_000 });
await variant.getByText(/Decisions for/).click();
await page.waitForTimeout(300);
await page.screenshot({ path: 'docs/screenshot-optimize.png' });
await panel.getByRole('checkbox', { name: 'Int8 static (QDQ)' }).uncheck();
await panel.getByRole('checkbox', { name: 'Float16', exact: true }).check();
await panel.getByRole('button', { name: 'Apply' }).click();
await panel.getByRole('list', { name: 'Variants' }).locator(':scope > li').nth(1).waitFor({ timeout: 60_000 });
await page.getByRole('tab', { name: 'Benchmark' }).click();
const lab = page.getByRole('region', { name: 'Benchmark' });
await lab.getByLabel('Measured runs').fill('200');
await lab.getByRole('button', { name: 'Run benchmark' }).click();
await lab.getByRole('table', { name: 'Accuracy results' }).getByRole('row').nth(3).waitFor({ timeout: 120_000 });
await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 120_000 });
await page.waitForTimeout(500);
await page.screenshot({ path: 'docs/screenshot-lab.png', fullPage: true });
await browser.close();
console.log('wrote docs/screenshot.png, docs/screenshot-graph.png, docs/screenshot-optimize.png and docs/screenshot-lab.png');
