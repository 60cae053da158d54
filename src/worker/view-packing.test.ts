import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeModelProto } from '../core/onnx/codec';
import { analyseModel } from '../core/model/summary';
import { buildViewGraph } from '../core/graph-view/build-view-graph';
import { packViewGraph, unpackViewGraph } from './view-packing';

const models = resolve(__dirname, '../../../shared/corpus/models');

describe('view packing', () => {
  it.skipIf(!existsSync(models))('round-trips every scope of real models exactly', () => {
    for (const file of ['silero_vad_legacy.onnx', 'mobilenet_v2_random_op13.onnx', 'digits_attn_op14.onnx']) {
      const { ir, shapes, stats } = analyseModel(decodeModelProto(readFileSync(resolve(models, file))));
      for (const scope of ir.scopes) {
        const view = buildViewGraph(ir, shapes, stats, scope.path);
        expect(unpackViewGraph(structuredClone(packViewGraph(view)))).toEqual(view);
      }
    }
  });

  it('keeps empty entries and replaces separator characters instead of breaking the structure', () => {
    const { ir, shapes, stats } = analyseModel(decodeModelProto(readFileSync(resolve(models, 'mnist-8_cntk.onnx'))));
    const view = buildViewGraph(ir, shapes, stats, '');
    const odd = { ...view, names: view.names.map((n, i) => (i === 1 ? 'a\u0000b' : i === 2 ? '' : n)), lines: view.lines.map((l, i) => (i === 1 ? ['x\u0001y', ''] : l)) };
    const back = unpackViewGraph(packViewGraph(odd));
    expect(back.names.length).toBe(view.names.length);
    expect(back.names[1]).toBe('a\ufffdb');
    expect(back.names[2]).toBe('');
    expect(back.lines[1]).toEqual(['x\ufffdy', '']);
    expect(back.lines[0]).toEqual(view.lines[0]);
  });
});
