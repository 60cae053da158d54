import { test, expect } from '@playwright/test';
import { corpusFile, corpusMissing, dropFiles, fromDisk, hasCorpus } from './support';
import { badCases } from './fixtures';

test.describe('bad input gets a clear message and keeps what is open', () => {
  test.skip(!hasCorpus, corpusMissing);

  for (const c of hasCorpus ? badCases() : []) {
    test(`dropping ${c.label}`, async ({ page }) => {
      await page.goto('/');
      // Something the user already has open…
      await dropFiles(page, [fromDisk(corpusFile('models/digits_mlp_op13.onnx'))]);
      const overview = page.getByRole('region', { name: 'Overview' });
      await expect(overview).toContainText('digits_mlp_op13.onnx');
      // …then the bad file.
      await dropFiles(page, [c.file]);
      const alert = page.getByRole('alert');
      await expect(alert).toBeVisible();
      await expect(alert).toContainText(c.expect);
      // The message says what to do, not only what is wrong.
      await expect(alert.locator('.hint')).not.toBeEmpty();
      // The earlier model is still there and the app still works.
      await expect(overview).toContainText('digits_mlp_op13.onnx');
      await page.getByRole('button', { name: 'Dismiss error' }).click();
      await expect(alert).toBeHidden();
      await page.getByLabel('Open model').setInputFiles(corpusFile('models/mnist-8_cntk.onnx'));
      await expect(overview).toContainText('mnist-8_cntk.onnx');
    });
  }

  test('external data: a missing side file is named, and the model opens with it', async ({ page }) => {
    await page.goto('/');
    const { model, data } = await import('./external-data-fixture').then((m) => m.externalDataModel());
    await dropFiles(page, [model]);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(data.name);
    await dropFiles(page, [model, data]);
    const overview = page.getByRole('region', { name: 'Overview' });
    await expect(overview).toContainText(model.name);
    await expect(page.getByRole('alert')).toBeHidden();
  });
});
