/**
 * The Benchmark tab's "Why" section end to end (issue 6, "Done when": the profile overlay, sensitivity
 * analysis, the exported report): open the Digits CNN sample, make a float16 and an int8 static variant
 * (every layer, shipped calibration set), benchmark the three (few runs) and see the chart; profile the
 * int8 variant (operator table, fused/int8 counts) and show it on the graph (Colour by "Kernel time"
 * with its legend); compare its activations with the original's (per-tensor error, shown as "SQNR
 * (dB)" on the graph); rank its layers by sensitivity, keep the most sensitive one in float and
 * re-apply — a new variant appears in Optimize and in the Benchmark models; export the Markdown report.
 */
import { test, expect } from '@playwright/test';
import type { Download, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

async function makeVariants(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('list', { name: 'Sample models' }).getByRole('button', { name: /Digits CNN/ }).click();
  await expect(page.getByRole('region', { name: 'Overview' })).toBeVisible();
  await page.getByRole('tab', { name: 'Optimize' }).click();
  const panel = page.getByRole('region', { name: 'Optimize' });
  const variants = panel.getByRole('list', { name: 'Variants' }).locator(':scope > li');
  await panel.getByRole('checkbox', { name: 'Float16', exact: true }).check();
  await panel.getByRole('button', { name: 'Apply' }).click();
  await expect(variants).toHaveCount(1, { timeout: 60_000 });
  await panel.getByRole('checkbox', { name: 'Float16', exact: true }).uncheck();
  await panel.getByRole('checkbox', { name: 'Int8 static (QDQ)' }).check();
  await panel.getByLabel('Placement').selectOption('all');
  await panel.getByRole('button', { name: 'Apply' }).click();
  await expect(variants).toHaveCount(2, { timeout: 60_000 });
}

test('profile + overlay, per-tensor error, sensitivity with exclude and re-apply, Markdown export', async ({ page }) => {
  test.setTimeout(240_000);
  await makeVariants(page);

  await page.getByRole('tab', { name: 'Benchmark' }).click();
  const lab = page.getByRole('region', { name: 'Benchmark' });
  await expect(lab.getByRole('group', { name: 'Models' }).getByRole('checkbox')).toHaveCount(3);
  await lab.getByLabel('Warm-up runs').fill('1');
  await lab.getByLabel('Measured runs').fill('5');
  await lab.getByRole('button', { name: 'Run benchmark' }).click();
  const chart = lab.getByRole('figure', { name: 'Accuracy vs latency chart' });
  await expect(chart.getByRole('img', { name: /: median [\d.]+ ms/ })).toHaveCount(3, { timeout: 90_000 });
  await expect(chart.getByRole('img', { name: /^Pareto front: / })).toHaveCount(1);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 60_000 });

  const why = lab.getByRole('region', { name: 'Why' });
  // Profile the int8 variant: the operator table has rows; the counts say what ran, fused and folded.
  const profile = why.getByRole('region', { name: 'Profile' });
  await profile.getByLabel('Model to profile').selectOption({ label: 'int8-static' });
  await profile.getByLabel('Profiled runs').fill('3');
  await profile.getByRole('button', { name: 'Profile', exact: true }).click();
  const ops = profile.getByRole('table', { name: 'Operator profile' });
  await expect(ops.getByRole('row').nth(1)).toBeVisible({ timeout: 60_000 });
  expect(await ops.getByRole('row').count()).toBeGreaterThan(3);
  await expect(profile.getByLabel('Node counts')).toContainText(/\d+ ran, \d+ fused into neighbours, \d+ folded; [1-9]\d* int8 kernels?/);
  await expect(profile.getByRole('table', { name: 'Time per kernel type' })).toContainText(/QLinear|MatMulInteger|QGemm/);

  // Show on graph: the Graph tab with the variant, coloured by kernel time, fused nodes in the legend.
  await profile.getByRole('button', { name: 'Show on graph' }).click();
  const legend = page.getByRole('list', { name: 'Colour legend: Kernel time' });
  await expect(legend).toBeVisible({ timeout: 60_000 });
  await expect(legend).toContainText('fused into a neighbour');
  await expect(page.getByLabel('Colour by')).toHaveValue('kernelUs');

  // Per-tensor error of the int8 variant, shown on the original as SQNR.
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  const error = why.getByRole('region', { name: 'Quantization error' });
  await error.getByLabel('Variant to compare').selectOption({ label: 'int8-static' });
  await error.getByRole('button', { name: 'Compare activations' }).click();
  const tensors = error.getByRole('table', { name: 'Per-tensor error' });
  await expect(tensors.getByRole('row').nth(1)).toBeVisible({ timeout: 60_000 });
  await expect(tensors.getByRole('row', { name: /among the worst/ }).first()).toBeVisible();
  await error.getByRole('button', { name: 'Show on graph' }).click();
  await expect(page.getByRole('list', { name: 'Colour legend: SQNR (dB)' })).toBeVisible({ timeout: 60_000 });

  // Sensitivity of the int8 variant: at least two layers ranked; keep the worst one float and re-apply.
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  const sensitivity = why.getByRole('region', { name: 'Sensitivity' });
  await sensitivity.getByLabel('Quantized variant').selectOption({ label: 'int8-static' });
  await sensitivity.getByRole('button', { name: 'Run sensitivity' }).click();
  await expect(page.getByRole('progressbar', { name: 'Ranking layers' })).toBeVisible();
  const layers = sensitivity.getByRole('table', { name: 'Layer sensitivity' });
  await expect(layers.getByRole('row').nth(2)).toBeVisible({ timeout: 90_000 });
  const worst = (await layers.getByRole('row').nth(1).getByRole('rowheader').innerText()).trim();
  await sensitivity.getByLabel('Keep most sensitive in float').fill('1');
  await sensitivity.getByRole('button', { name: 'Exclude and re-apply' }).click();
  const models = lab.getByRole('group', { name: 'Models' }).getByRole('checkbox');
  await expect(models).toHaveCount(4, { timeout: 90_000 });
  await expect(lab.getByRole('checkbox', { name: /int8-static-2/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `${worst} kept in float32` })).toBeVisible();

  // The new variant's recipe keeps that node in float.
  await page.getByRole('tab', { name: 'Optimize' }).click();
  const optimize = page.getByRole('region', { name: 'Optimize' });
  await expect(optimize.getByRole('list', { name: 'Variants' }).locator(':scope > li')).toHaveCount(3);

  // The report still exports.
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  const pending: Promise<Download> = page.waitForEvent('download');
  await lab.getByRole('button', { name: 'Export Markdown' }).click();
  const md = readFileSync(await (await pending).path(), 'utf8');
  expect(md).toContain('# Benchmark report: digits_cnn.onnx');
  // The profile and the sensitivity ranking travel with the report.
  expect(md).toContain('## Where the time goes');
  expect(md).toMatch(/\| QLinearConv \|/);
  expect(md).toContain('## Quantization error per tensor');
  expect(md).toContain('## Layer sensitivity');
});
