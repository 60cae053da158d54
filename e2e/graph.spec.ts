import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { corpusFile, corpusMissing, dropFiles, fromDisk, hasCorpus, payload } from './support';
import { decodeModelProto, encodeModelProto } from '../src/core/onnx/codec';
import { analyseModel } from '../src/core/model/summary';
import { nodeDetails } from '../src/core/inspect/node-details';

test.skip(!hasCorpus, corpusMissing);

async function openGraph(page: Page, file: string): Promise<void> {
  await page.goto('/');
  await dropFiles(page, [fromDisk(corpusFile(file))]);
  await expect(page.getByRole('region', { name: 'Overview' })).toBeVisible();
  await page.getByRole('tab', { name: 'Graph' }).click();
  await expect(page.getByRole('region', { name: 'Model graph' })).toBeVisible();
  // Laid out and drawn: the progress bar is gone.
  await expect(page.getByRole('progressbar', { name: 'Laying out graph' })).toHaveCount(0, { timeout: 60_000 });
}

async function findAndSelect(page: Page, query: string, result: RegExp | string): Promise<void> {
  const graph = page.getByRole('region', { name: 'Model graph' });
  await graph.getByRole('searchbox', { name: 'Find node' }).fill(query);
  const results = graph.getByRole('listbox', { name: 'Search results' });
  await results.getByRole('option', { name: result }).first().click();
  // Picking a result closes the list so it no longer covers the toolbar.
  await expect(results).toBeHidden();
}

test('a CNN: find a node by name and check the inspector against the core', async ({ page }) => {
  await openGraph(page, 'models/mnist-8_cntk.onnx');
  await findAndSelect(page, 'Convolution28', /Convolution28/);
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector).toContainText('Conv');
  await expect(inspector).toContainText('Convolution28');

  // The same facts computed by the core in Node.
  const model = decodeModelProto(readFileSync(corpusFile('models/mnist-8_cntk.onnx')));
  const a = analyseModel(model);
  const node = a.ir.nodes.find((n) => n.name === 'Convolution28');
  if (!node) throw new Error('fixture: Convolution28 not found');
  const details = nodeDetails(a.ir, a.shapes, a.stats, node.id);
  const weight = details.inputs.find((p) => p.weight)?.weight;
  if (!weight?.stats) throw new Error('core: no weight stats');
  await expect(inspector).toContainText(weight.name);
  await expect(inspector).toContainText(weight.shape.join(' × '));
  await expect(inspector.getByRole('figure', { name: `Histogram of ${weight.name}` })).toBeVisible();
  for (const attr of details.attributes) await expect(inspector).toContainText(attr.name);
  await expect(inspector).toContainText(String(details.params));

  // Colour by parameters, then MACs: the legend follows.
  const graph = page.getByRole('region', { name: 'Model graph' });
  await graph.getByLabel('Colour by').selectOption('params');
  await expect(graph.getByRole('list', { name: /Colour legend/ })).toHaveAccessibleName(/param/i);
  await graph.getByLabel('Colour by').selectOption('macs');
  await expect(graph.getByRole('list', { name: /Colour legend/ })).toHaveAccessibleName(/MAC/i);

  // Export SVG: a real SVG with every node's op type.
  const download = page.waitForEvent('download');
  await graph.getByRole('button', { name: 'Export SVG' }).click();
  const svg = readFileSync(await (await download).path(), 'utf8');
  expect(svg).toMatch(/^<\?xml|^<svg/);
  expect(svg.match(/>Conv</g)?.length).toBe(2);
});

test('the LSTM/If model: enter a subgraph of an If node', async ({ page }) => {
  await openGraph(page, 'models/silero_vad_legacy.onnx');
  await findAndSelect(page, 'If_25', /If_25/);
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector).toContainText('If');
  await inspector.getByRole('button', { name: /Open then_branch/ }).click();
  const graph = page.getByRole('region', { name: 'Model graph' });
  await expect(graph.getByRole('navigation', { name: 'Graph scope' })).toContainText('then_branch');
  await expect(page.getByRole('progressbar', { name: 'Laying out graph' })).toHaveCount(0, { timeout: 60_000 });
  // The then-branch holds the encoder: 18 Conv nodes (the core counts them in that scope).
  await expect(graph.getByRole('list', { name: /Colour legend/ }).getByRole('listitem', { name: 'Conv' })).toContainText('18');
});

test('a light/ structure (DenseNet-121): every Conv and Concat is there', async ({ page }) => {
  await openGraph(page, 'onnx-backend-tests/light/light_densenet121.onnx');
  const model = decodeModelProto(readFileSync(corpusFile('onnx-backend-tests/light/light_densenet121.onnx')));
  const count = (op: string): number => (model.graph?.node ?? []).filter((n) => n.opType === op).length;
  const graph = page.getByRole('region', { name: 'Model graph' });
  // The op-type legend counts nodes per category.
  await expect(graph.getByRole('list', { name: /Colour legend/ }).getByRole('listitem', { name: 'Conv' })).toContainText(String(count('Conv')));
  // Concat nodes are unnamed here and their outputs are the only tensors named '…concat…'.
  await graph.getByRole('searchbox', { name: 'Find node' }).fill('Concat');
  await expect(graph.getByText(new RegExp(`\\b${count('Concat')} match`))).toBeVisible();
});

test('compare a model with a modified copy', async ({ page }) => {
  const model = decodeModelProto(readFileSync(corpusFile('models/mnist-8_cntk.onnx')));
  const nodes = model.graph?.node ?? [];
  // Change an attribute of the first Conv and rename nothing else.
  const conv = nodes.find((n) => n.opType === 'Conv');
  const pads = conv?.attribute?.find((a) => a.name === 'auto_pad' || a.name === 'pads');
  if (!conv || !pads) throw new Error('fixture: no Conv with pads');
  conv.attribute = (conv.attribute ?? []).filter((a) => a !== pads);
  const modified = payload('mnist-modified.onnx', encodeModelProto(model));

  await page.goto('/');
  await dropFiles(page, [fromDisk(corpusFile('models/mnist-8_cntk.onnx'))]);
  await expect(page.getByRole('region', { name: 'Overview' })).toBeVisible();
  await page.getByRole('tab', { name: 'Compare' }).click();
  const compare = page.getByRole('region', { name: 'Compare' });
  await compare.getByLabel('Compare with').setInputFiles({ name: modified.name, mimeType: modified.mimeType, buffer: modified.buffer });
  const changed = compare.getByRole('list', { name: 'Changed nodes' });
  await expect(changed).toContainText(conv.name ?? 'Conv');
  await expect(changed.locator(':scope > li')).toHaveCount(1);
});
