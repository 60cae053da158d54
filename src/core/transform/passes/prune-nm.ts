/**
 * N:M semi-structured sparsity (e.g. 2:4): in every group of M consecutive weights along the
 * reduction axis, keep the N largest magnitudes and zero the rest (Mishra et al. 2021). The axis is
 * the one each output sums over: Conv W [Cout, Cin/group, k…] → the Cin/group·k… line of each output
 * channel, in stored (NCHW im2col) order; MatMul B [K, N] → K, per column; Gemm → K, respecting
 * transB. A line whose length is not a multiple of M ends in a shorter tail group of r weights that
 * keeps ceil(r·N/M) (see src/core/prune/nm.ts).
 *
 * The pattern pays off only on runtimes with sparse kernels for it (NVIDIA Ampere+ sparse tensor
 * cores via TensorRT / cuSPARSELt). onnxruntime-web's WASM kernels are dense: no speed-up there; the
 * gzip size shrinks as for magnitude pruning.
 */
import type { Result } from '../../errors.js';
import { err } from '../../errors.js';
import type { onnx } from '../../onnx/codec.js';
import { keptCount, selectNM } from '../../prune/nm.js';
import { DENSE_SPEED_NOTE, estimatePrune, PRUNE_SELECTION_OPTIONS, pruneWithStrategy } from '../../prune/run-prune.js';
import type { PruneStrategy } from '../../prune/run-prune.js';
import { unstructuredCompute } from '../compute-estimate.js';
import { numberOption } from '../options.js';
import type { PassContext, PassDefinition, PassOptions, PassOutcome, SizeEstimate } from '../types.js';

const RUNTIME_NOTE = 'N:M sparsity helps only runtimes with sparse kernels for it (e.g. 2:4 on NVIDIA sparse tensor cores); onnxruntime-web WASM kernels are dense and run no faster';

function nm(options: PassOptions): { readonly n: number; readonly m: number } | string {
  const n = numberOption(options, 'n', 2);
  const m = numberOption(options, 'm', 4);
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 2) return `n and m must be whole numbers with 1 ≤ n < m, got ${n}:${m}`;
  if (n >= m) return `n must be smaller than m (keeping ${n} of every ${m} weights prunes nothing), got ${n}:${m}`;
  return { n, m };
}

function strategy(n: number, m: number): PruneStrategy {
  return {
    passId: 'prune-nm',
    sameLayoutRequired: true,
    select: (group, mags) => selectNM(mags, group.layout, n, m),
    describe: (group, sel) => {
      const tail = group.layout.K % m;
      const tailNote = tail ? `; tail group of ${tail} keeps ${Math.min(tail, Math.ceil((tail * n) / m))}` : '';
      return `${n}:${m} along ${group.layout.axis}, ${sel.zeroed} of ${group.count} weights zeroed${tailNote}`;
    },
    headline: (weights, nodes, overall) => `${weights} weights (${nodes} nodes) pruned to ${n}:${m} sparsity (${(overall * 100).toFixed(1)} % of their elements now zero)`,
    warnings: [RUNTIME_NOTE],
  };
}

function apply(model: onnx.IModelProto, options: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  const p = nm(options);
  if (typeof p === 'string') return err(p);
  return pruneWithStrategy(model, options, ctx, strategy(p.n, p.m));
}

function estimate(model: onnx.IModelProto, options: PassOptions): SizeEstimate {
  const p = nm(options);
  if (typeof p === 'string') return { weightBytesBefore: 0, weightBytesAfter: 0, nodes: 0 };
  let zeroed = 0;
  const size = estimatePrune(model, options, true, (g) => {
    const kept = keptCount(g.layout, p.n, p.m);
    zeroed += g.count - kept;
    return kept;
  });
  // Same dense shapes: parameters and MACs stay; the non-zero parameters fall by what is zeroed.
  return { ...size, compute: unstructuredCompute(model, zeroed) };
}

export const pruneNMPass: PassDefinition = {
  id: 'prune-nm',
  label: 'N:M sparsity',
  category: 'prune',
  summary: 'Keep the N largest of every M weights along the reduction axis (2:4 for sparse tensor cores): a smaller gzip download, same speed here',
  note: `${RUNTIME_NOTE}. ${DENSE_SPEED_NOTE}. Accuracy drops without fine-tuning.`,
  options: {
    n: { kind: 'number', label: 'N (kept)', description: 'Weights kept in every group of M (must be below M).', default: 2, min: 1, max: 7, step: 1 },
    m: { kind: 'number', label: 'M (group)', description: 'Group size along the reduction axis: 4 (2:4 is what sparse tensor cores run) or 8.', default: 4, min: 4, max: 8, step: 4, choices: [4, 8] },
    ...PRUNE_SELECTION_OPTIONS,
  },
  estimate,
  apply,
};
