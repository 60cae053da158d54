/**
 * The Benchmark tab end to end (issue 6, "Done when", the benchmark part): open the Digits CNN sample,
 * make two variants in Optimize (float16, and int8 static with every layer quantized, calibrated on the
 * shipped set), run the benchmark on the original and both (20 measured runs, interleaved), see three
 * rows of figures with the settings beside them, the accuracy on the shipped labelled test set, the
 * Accuracy vs latency chart with three points and a Pareto front, select a point, and export the report
 * (JSON with three models, CSV with every run, Markdown, the chart as SVG). Also: Cancel stops a run.
 */
import { test, expect } from '@playwright/test';
import type { Download, Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

const INT8_STATIC = 'Int8 static (QDQ)';
const RUNS = 20;

async function openDigits(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('list', { name: 'Sample models' }).getByRole('button', { name: /Digits CNN/ }).click();
  await expect(page.getByRole('region', { name: 'Overview' })).toBeVisible();
}

async function makeVariants(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Optimize' }).click();
  const panel = page.getByRole('region', { name: 'Optimize' });
  const variants = panel.getByRole('list', { name: 'Variants' }).locator(':scope > li');
  await panel.getByRole('checkbox', { name: 'Float16', exact: true }).check();
  await panel.getByRole('button', { name: 'Apply' }).click();
  await expect(variants).toHaveCount(1, { timeout: 60_000 });
  await panel.getByRole('checkbox', { name: 'Float16', exact: true }).uncheck();
  await panel.getByRole('checkbox', { name: INT8_STATIC }).check();
  await expect(panel.getByRole('group', { name: 'Calibration data' }).getByRole('radio', { name: /Shipped calibration set/ })).toBeChecked();
  // The speed-aware default leaves this tiny CNN float; quantize every layer to get a real int8 variant.
  await panel.getByLabel('Placement').selectOption('all');
  await panel.getByRole('button', { name: 'Apply' }).click();
  await expect(variants).toHaveCount(2, { timeout: 60_000 });
}

async function download(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const pending: Promise<Download> = page.waitForEvent('download');
  await button.click();
  const d = await pending;
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

test('benchmark, accuracy, Accuracy vs latency chart and export for the original and two variants', async ({ page }) => {
  test.setTimeout(240_000);
  await openDigits(page);
  await makeVariants(page);

  await page.getByRole('tab', { name: 'Benchmark' }).click();
  const lab = page.getByRole('region', { name: 'Benchmark' });
  const models = lab.getByRole('group', { name: 'Models' }).getByRole('checkbox');
  await expect(models).toHaveCount(3);
  for (const box of await models.all()) await expect(box).toBeChecked();
  await expect(lab.getByRole('checkbox', { name: 'Original' })).toBeChecked();
  // The sample's labelled test set is offered and chosen.
  const data = lab.getByRole('group', { name: 'Accuracy data' });
  await expect(data.getByRole('radio', { name: /Shipped test set/ })).toBeChecked();
  await expect(data).toContainText('digits_test.json');
  // The model's symbolic batch dim has its own field; threads are offered up to the core count.
  await expect(lab.getByLabel('batch')).toHaveValue('1');
  await expect(lab.getByLabel('Threads')).toBeVisible();
  await lab.getByLabel('Warm-up runs').fill('2');
  await lab.getByLabel('Measured runs').fill(String(RUNS));

  await lab.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByRole('progressbar', { name: 'Benchmarking' })).toBeVisible();
  const results = lab.getByRole('table', { name: 'Benchmark results' });
  await expect(results.getByRole('row')).toHaveCount(4, { timeout: 60_000 });
  await expect(results.getByRole('rowheader', { name: /Original/ })).toBeVisible();
  // The settings are shown next to the numbers they produced.
  await expect(lab.getByRole('region', { name: 'Latency', exact: true })).toContainText(new RegExp(`Measured with onnxruntime-web [\\d.]+ \\(wasm, SIMD\\), \\d threads?, graph optimization all; 2 warm-up runs, ${RUNS} measured runs`));
  await expect(lab.getByRole('figure', { name: /^Latency of / })).toHaveCount(3);

  // Accuracy runs by itself after the benchmark, on the shipped test set: 358 of 360 for the original.
  const accuracy = lab.getByRole('table', { name: 'Accuracy results' });
  await expect(accuracy.getByRole('row')).toHaveCount(4, { timeout: 60_000 });
  await expect(accuracy.getByRole('row').filter({ hasText: 'Original' })).toContainText('99.44 %');
  await expect(lab.getByRole('region', { name: 'Accuracy', exact: true })).toContainText('360 samples of digits_test.json');
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 60_000 });

  // The chart: three points (area ∝ size), the Pareto front, the original marked.
  const chart = lab.getByRole('figure', { name: 'Accuracy vs latency chart' });
  const points = chart.getByRole('img', { name: /: median [\d.]+ ms/ });
  await expect(points).toHaveCount(3);
  await expect(chart.getByRole('img', { name: /\(original\): median/ })).toHaveCount(1);
  await expect(chart.getByRole('img', { name: /^Pareto front: / })).toHaveCount(1);
  await expect(chart.getByRole('img', { name: /on the Pareto front$/ }).first()).toBeVisible();
  // Clicking a point selects that model: its rows are highlighted.
  const int8 = chart.getByRole('img', { name: /^int8-static: / });
  await int8.dispatchEvent('click');
  await expect(results.getByRole('row', { name: /int8-static/ })).toHaveAttribute('aria-current', 'true');
  await expect(accuracy.getByRole('row', { name: /int8-static/ })).toHaveAttribute('aria-current', 'true');
  // The x axis toggles to speedup; the points stay.
  await lab.getByRole('radio', { name: 'Speedup' }).check();
  await expect(points).toHaveCount(3);

  // Export: JSON with three models and their runs, CSV with every run, Markdown, the chart as SVG.
  const json = await download(page, lab.getByRole('button', { name: 'Export JSON' }));
  expect(json.name).toBe('digits_cnn.benchmark.json');
  const doc = JSON.parse(json.text) as { format: string; models: { name: string; latency: { runsMs: number[] }; accuracy: { accuracy: number } | null }[]; pareto: { metric: string; front: string[] } };
  expect(doc.format).toBe('model-studio-lab-report');
  expect(doc.models).toHaveLength(3);
  expect(doc.models.map((m) => m.latency.runsMs.length)).toEqual([RUNS, RUNS, RUNS]);
  expect(doc.models[0]?.accuracy?.accuracy).toBeCloseTo(358 / 360, 6);
  expect(doc.pareto.metric).toBe('accuracy');
  expect(doc.pareto.front.length).toBeGreaterThanOrEqual(1);
  const csv = await download(page, lab.getByRole('button', { name: 'Export CSV' }));
  const lines = csv.text.trimEnd().split('\n');
  expect(lines[0]).toBe('model,run,ms');
  expect(lines).toHaveLength(1 + 3 * RUNS);
  const md = await download(page, lab.getByRole('button', { name: 'Export Markdown' }));
  expect(md.text).toContain('# Benchmark report: digits_cnn.onnx');
  expect(md.text).toContain('Pareto front');
  const svg = await download(page, lab.getByRole('button', { name: 'Export chart', exact: true }));
  expect(svg.name).toBe('digits_cnn.accuracy-vs-latency.svg');
  expect(svg.text).toContain('<svg');
  expect(svg.text).toContain('Pareto front');
});

test('Cancel stops a long benchmark; the tab works again', async ({ page }) => {
  await openDigits(page);
  await page.getByRole('tab', { name: 'Benchmark' }).click();
  const lab = page.getByRole('region', { name: 'Benchmark' });
  await lab.getByLabel('Measured runs').fill('100000');
  await lab.getByLabel('Time budget (s)').fill('0');
  await lab.getByRole('button', { name: 'Run benchmark' }).click();
  const progress = page.getByRole('progressbar', { name: 'Benchmarking' });
  await expect(progress).toBeVisible();
  await expect(lab.getByRole('status')).toContainText('measuring', { timeout: 30_000 });
  await lab.getByRole('button', { name: 'Cancel' }).click();
  await expect(progress).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Benchmark cancelled' })).toBeVisible();
  await expect(lab.getByRole('table', { name: 'Benchmark results' })).toHaveCount(0);
  // The restarted worker measures again.
  await lab.getByLabel('Measured runs').fill('5');
  await lab.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(lab.getByRole('table', { name: 'Benchmark results' }).getByRole('row')).toHaveCount(2, { timeout: 60_000 });
});
