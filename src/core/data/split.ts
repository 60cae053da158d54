/**
 * Splitting one dataset in two along the sample axis (calibration / evaluation for auto-tune): the
 * first `head` samples and the rest, arrays and labels alike. Views, not copies. ONNX test_data_set
 * sources stack whole feeds (Dataset.sets) and are not split.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import type { Dataset, SampleTensor } from './types.js';

function rows(t: SampleTensor, from: number, to: number): SampleTensor {
  const per = t.dims.slice(1).reduce((a, b) => a * b, 1);
  return { dtype: t.dtype, dims: [to - from, ...t.dims.slice(1)], data: t.data.subarray(from * per, to * per) as SampleTensor['data'] };
}

export function splitDataset(ds: Dataset, head: number): Result<readonly [Dataset, Dataset], string> {
  if (ds.sets !== undefined) return err(`${ds.source} is a test_data_set (whole feeds), which cannot be split by sample`);
  const counts = [...ds.arrays.values()].map((a) => a.dims[0] ?? 0);
  const n = Math.min(...counts);
  if (!Number.isFinite(n) || head < 1 || head >= n) return err(`${ds.source} has ${Number.isFinite(n) ? n : 0} samples: too few to split ${head} off`);
  const part = (from: number, to: number, suffix: string): Dataset => ({
    ...ds,
    source: `${ds.source} (${suffix})`,
    arrays: new Map([...ds.arrays].map(([name, t]) => [name, rows(t, from, to)])),
    ...(ds.labels ? { labels: ds.labels.subarray(from, to) } : {}),
  });
  return ok([part(0, head, `samples 1–${head}`), part(head, n, `samples ${head + 1}–${n}`)] as const);
}
