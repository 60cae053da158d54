/**
 * Handlers of the runtime worker, the page's owner of onnxruntime-web. It reads the model itself from
 * the File handles (cheap) so that a WASM out-of-memory here never costs the model worker its state.
 */
import { loadModel } from '../../core/model/load';
import { cpuReport } from '../../core/compat/cpu-report';
import { probeOperatorSupport } from '../../runtime/op-support';
import { executionSettings } from '../../runtime/ort';
import { ModelFailure } from '../host';
import type { Handlers } from '../host';
import type { RuntimeInfo } from '../protocol';
import { readSource } from '../read-source';
import { valueTypesOf } from './value-types';

export const runtimeHandlers: Handlers = {
  async 'runtime/compat'({ source }, ctx) {
    const files = await readSource(source, ctx);
    const loaded = loadModel(files);
    if (!loaded.ok) throw new ModelFailure(loaded.error);
    const proto = loaded.value.proto;
    const valueTypes = valueTypesOf(proto);
    const probe = await probeOperatorSupport(proto, {
      valueTypes,
      onProgress: (done, total) => ctx.progress('Checking operators with onnxruntime-web', done, total),
    });
    const report = cpuReport(proto, probe.results, { valueTypes });
    const s = probe.settings.numThreads > 0 ? probe.settings : executionSettings();
    const runtime: RuntimeInfo = {
      backend: 'wasm',
      threads: s.numThreads,
      simd: s.simd,
      crossOriginIsolated: s.crossOriginIsolated,
      ortVersion: s.version,
    };
    return { result: { report, runtime } };
  },

  async 'debug/sleep'({ ms }) {
    await new Promise((r) => setTimeout(r, ms));
    return { result: { slept: ms } };
  },
};
