import { test, expect } from '@playwright/test';
import { corpusFile, corpusMissing, dropFiles, fromDisk, hasCorpus } from './support';

test.describe('opening models', () => {
  test('the page is cross-origin isolated, so onnxruntime-web can use threads', async ({ page }) => {
    await page.goto('/');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  });

  test('open a bundled sample and see its overview', async ({ page }) => {
    await page.goto('/');
    const samples = page.getByRole('list', { name: 'Sample models' });
    const first = samples.getByRole('button').first();
    await expect(first).toBeVisible();
    await first.click();
    const overview = page.getByRole('region', { name: 'Overview' });
    await expect(overview).toBeVisible();
    await expect(overview.getByRole('table', { name: 'Inputs' })).toContainText('input');
    await expect(overview.getByRole('table', { name: 'Inputs' })).toContainText('batch');
    await expect(overview.getByRole('table', { name: 'Outputs' })).toContainText('logits');
    await expect(overview.getByRole('table', { name: 'Operators' })).toBeVisible();
    // onnxruntime-web (WASM, in its worker) checked every operator.
    await expect(overview.getByRole('region', { name: 'CPU compatibility' })).toContainText('runs every operator', { timeout: 60_000 });
  });

  test('drop a corpus CNN and see its facts', async ({ page }) => {
    test.skip(!hasCorpus, corpusMissing);
    await page.goto('/');
    await dropFiles(page, [fromDisk(corpusFile('models/mnist-8_cntk.onnx'))]);
    const overview = page.getByRole('region', { name: 'Overview' });
    await expect(overview).toContainText('mnist-8_cntk.onnx');
    const facts = overview.getByRole('region', { name: 'Key facts' });
    await expect(facts.getByRole('definition').filter({ hasText: /^12$/ })).toHaveCount(1); // nodes
    await expect(facts).toContainText('5,998'); // parameters
    await expect(facts).toContainText('CNTK');
    const inputs = overview.getByRole('table', { name: 'Inputs' });
    await expect(inputs).toContainText('Input3');
    await expect(inputs).toContainText('[1, 1, 28, 28]');
    await expect(overview.getByRole('table', { name: 'Operators' })).toContainText('Conv');
  });

  test('open a model with the file input, including a subgraph model', async ({ page }) => {
    test.skip(!hasCorpus, corpusMissing);
    await page.goto('/');
    await page.getByLabel('Open model').setInputFiles(corpusFile('models/silero_vad_legacy.onnx'));
    const overview = page.getByRole('region', { name: 'Overview' });
    await expect(overview).toContainText('silero_vad_legacy.onnx');
    await expect(overview.getByRole('table', { name: 'Operators' })).toContainText('If');
    await expect(overview.getByRole('table', { name: 'Operators' })).toContainText('LSTM');
  });
});

test.describe('taking the model home', () => {
  test('Download model gives back the same model, field by field (external data inlined)', async ({ page }) => {
    test.skip(!hasCorpus, corpusMissing);
    const { readFileSync } = await import('node:fs');
    const { decodeModelProto } = await import('../src/core/onnx/codec');
    const { messageDiffs } = await import('../src/core/onnx/roundtrip-equal');
    const { externalDataModel } = await import('./external-data-fixture');
    await page.goto('/');
    const { model, data } = externalDataModel();
    await dropFiles(page, [model, data]);
    await expect(page.getByRole('region', { name: 'Overview' })).toContainText(model.name);
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download model' }).click();
    const download = await downloadPromise;
    const path = await download.path();
    const got = decodeModelProto(readFileSync(path));
    // The fixture moved the weights of the corpus model out; inlined again they must equal the original.
    const original = decodeModelProto(readFileSync(corpusFile('models/digits_cnn_op13.onnx')));
    expect(messageDiffs(got, original)).toEqual([]);
  });
});
