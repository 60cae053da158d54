/**
 * Auto-tune and Side by side in the Benchmark tab (issue 6, "Decide"): open the Digits CNN sample, run
 * a quick auto-tune with a budget of one point of top-1 on the shipped labelled test set (calibrated on
 * the shipped calibration set), see the results table and the chosen recipe (or the "keep the original"
 * message), add a recipe as a variant, find it in the lab's model list and in Side by side next to the
 * original with both sizes and the graph diff; then benchmark the two and export the chart as PNG.
 * Also: Cancel stops a search and the bench worker measures again.
 */
import { test, expect } from '@playwright/test';
import type { Download, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

async function openDigits(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('list', { name: 'Sample models' }).getByRole('button', { name: /Digits CNN/ }).click();
  await expect(page.getByRole('region', { name: 'Overview' })).toBeVisible();
}

test('auto-tune within one point, add the pick as a variant, side by side with the original, chart as PNG', async ({ page }) => {
  test.setTimeout(120_000);
  await openDigits(page);
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  const lab = page.getByRole('region', { name: 'Benchmark' });
  // Few runs per recipe: the digits models run in a fraction of a millisecond.
  await lab.getByLabel('Warm-up runs').fill('2');
  await lab.getByLabel('Measured runs').fill('15');
  await lab.getByLabel('Time budget (s)').fill('1');

  const tune = lab.getByRole('region', { name: 'Auto-tune' });
  // Labelled data (the shipped test set): the budget is in points of accuracy.
  await tune.getByLabel('Max accuracy drop (points)').fill('1');
  await tune.getByRole('checkbox', { name: 'Quick search' }).check();
  await tune.getByRole('button', { name: 'Auto-tune', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Auto-tuning' })).toBeVisible();
  // While it runs the benchmark waits: one job at a time on the bench worker.
  await expect(lab.getByRole('button', { name: 'Run benchmark' })).toBeDisabled();

  const results = tune.getByRole('table', { name: 'Auto-tune results' });
  // Original + the six base recipes.
  await expect(results.getByRole('row')).toHaveCount(8, { timeout: 60_000 });
  await expect(page.getByRole('progressbar', { name: 'Auto-tuning' })).toHaveCount(0);
  await expect(tune).toContainText('Budget at most 1 point of top-1 accuracy');
  await expect(tune).toContainText('360 samples of digits_test.json');
  await expect(tune).toContainText('calibration: digits_calib.npz');
  await expect(tune.getByRole('figure', { name: 'Auto-tune chart' }).getByRole('img', { name: /× speed/ }).first()).toBeVisible();

  // The pick (the fastest recipe within budget), or the message that the original stays.
  const chosen = tune.getByRole('note', { name: 'Chosen recipe' });
  let variantName: string;
  if ((await chosen.count()) > 0) {
    const row = results.locator('tr[aria-current="true"]');
    await expect(row).toHaveCount(1);
    const name = (await row.getByRole('rowheader').textContent())?.replace(/chosen$/, '').trim() ?? '';
    expect(name).not.toBe('');
    await chosen.getByRole('button', { name: 'Add as variant', exact: true }).click();
    variantName = name;
  } else {
    await expect(tune.getByRole('note')).toContainText('Keep the original');
    // Any measured recipe can still be added: its recipe is applied again in the optimize worker.
    const add = results.getByRole('button', { name: /^Add .+ as variant$/ }).first();
    variantName = ((await add.getAttribute('aria-label')) ?? '').replace(/^Add (.+) as variant$/, '$1');
    await add.click();
  }
  await expect(tune.getByLabel(`${variantName} added as a variant`).first()).toBeVisible({ timeout: 30_000 });
  const slug = variantName.toLowerCase().replace(/%/g, 'pct').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

  // The new variant is in the lab's model list (ticked), named after its recipe.
  const models = lab.getByRole('group', { name: 'Models' }).getByRole('checkbox');
  await expect(models).toHaveCount(2);
  await expect(lab.getByRole('group', { name: 'Models' }).getByRole('checkbox', { name: new RegExp(slug) })).toBeChecked();

  // Side by side: the original on the left, the new variant on the right, sizes with ±%, the graph diff.
  const side = lab.getByRole('region', { name: 'Side by side' });
  const left = side.getByRole('group', { name: /^Left: Original/ });
  const right = side.getByRole('group', { name: new RegExp(`^Right: ${slug}`) });
  await expect(left).toContainText(/Size\s*[\d.]+ (B|KB|KiB|MB)/);
  await expect(right).toContainText(/Size\s*[\d.]+ (B|KB|KiB|MB) \([+−][\d.]+ % vs Original\)/);
  await expect(right).toContainText(`digits_cnn.${slug}.onnx`);
  await expect(side.getByRole('group', { name: 'Graph diff' })).toContainText(/\d+ added, \d+ removed, \d+ changed/, { timeout: 20_000 });
  await expect(side.getByRole('button', { name: 'Open in Compare tab' })).toBeEnabled();

  // Benchmark the two (accuracy follows): Side by side shows the latency, the chart exports as PNG.
  await lab.getByLabel('Measured runs').fill('5');
  await lab.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(lab.getByRole('table', { name: 'Accuracy results' }).getByRole('row')).toHaveCount(3, { timeout: 60_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  await expect(right).toContainText(/median [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms/);
  await expect(left).toContainText('accuracy 99.44 %');
  const pending: Promise<Download> = page.waitForEvent('download');
  await lab.getByRole('button', { name: 'Export chart (PNG)' }).click();
  const png = await pending;
  expect(png.suggestedFilename()).toBe('digits_cnn.accuracy-vs-latency.png');
  const bytes = readFileSync(await png.path());
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // 2× the chart's 680 × 380 drawing.
  expect(bytes.readUInt32BE(16)).toBe(1360);
  expect(bytes.readUInt32BE(20)).toBe(760);
});

test('Cancel stops an auto-tune; the tab works again', async ({ page }) => {
  await openDigits(page);
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  const lab = page.getByRole('region', { name: 'Benchmark' });
  const tune = lab.getByRole('region', { name: 'Auto-tune' });
  await lab.getByLabel('Measured runs').fill('100000');
  await lab.getByLabel('Time budget (s)').fill('0');
  await tune.getByRole('button', { name: 'Auto-tune', exact: true }).click();
  const progress = page.getByRole('progressbar', { name: 'Auto-tuning' });
  await expect(progress).toBeVisible();
  await expect(tune.getByRole('status')).toContainText('Auto-tune: ', { timeout: 30_000 });
  await tune.getByRole('button', { name: 'Cancel' }).click();
  await expect(progress).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Auto-tune cancelled' })).toBeVisible();
  await expect(tune.getByRole('table', { name: 'Auto-tune results' })).toHaveCount(0);
  // The restarted bench worker measures again.
  await lab.getByLabel('Measured runs').fill('5');
  await lab.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(lab.getByRole('table', { name: 'Benchmark results' }).getByRole('row')).toHaveCount(2, { timeout: 60_000 });
});
