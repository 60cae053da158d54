/**
 * Handlers of the optimize worker: 'optimize/run' reads the model from its source (File handles or a
 * URL: cheap to post, read here), checks the recipe against the registry, reads the calibration data
 * when a step needs it, applies the recipe (core/transform/apply-recipe.ts) with progress per node,
 * and transfers the encoded model back with the reports and the recipe.
 *
 * Cancelling terminates this worker (WorkerClient), which is the only way to stop a synchronous pass
 * mid-loop; the model worker, which holds the user's models, is never touched.
 */
import { loadForTransform } from './load-for-transform';
import { modelError } from '../../core/errors';
import { encodeModelProto } from '../../core/onnx/codec';
import { applyRecipe, resolveSteps } from '../../core/transform/apply-recipe';
import { makeRecipe } from '../../core/transform/recipe';
import { measureCompute } from '../../core/stats/model-compute';
import type { Calibrator } from '../../core/transform/types';
import { withLayerTiming } from '../../runtime/layer-timing';
import { ModelFailure } from '../host';
import type { Handlers } from '../host';
import type { DataSource, MeasuredModelCompute } from '../protocol';
import { calibratorFor, dataSourceName } from './calibration-data';

/** A buffer that is exactly the bytes (encode may return a view into a larger pool), so it can be transferred. */
function ownedBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer;
}

const RECIPE_HINT = 'choose passes from the list in the Optimize panel; options must stay within their ranges';

export const optimizeHandlers: Handlers = {
  async 'optimize/run'({ source, steps, calibration }, ctx) {
    // Check the recipe first: a typo in a hand-edited recipe fails before anything is read.
    const resolved = resolveSteps(steps);
    if (!resolved.ok) throw new ModelFailure(modelError('unsupported', 'This recipe cannot run', resolved.error, RECIPE_HINT));

    let calibrate: Calibrator | undefined;
    const calibrating = resolved.value.filter((s) => s.pass.calibration !== undefined);
    if (calibrating.length > 0) {
      if (!calibration) {
        throw new ModelFailure(
          modelError('unsupported', 'Calibration data needed', `${calibrating.map((s) => s.pass.label).join(', ')} measures activation ranges on sample inputs, and none were given.`, 'choose the shipped calibration set, a data file, an image folder, or random data'),
        );
      }
      // Read and parse the data before the model: a bad data file fails in milliseconds.
      ctx.progress('Reading calibration data', 0, 0);
      // Layer timing does nothing unless a pass asks for it (int8-static placement "measure on this machine").
      calibrate = withLayerTiming(await calibratorFor(calibration, ctx));
    }

    const { proto, fileName, inputBytes } = await loadForTransform(source, ctx);

    // The first calibration in a fresh worker compiles onnxruntime-web's WASM and starts its threads:
    // measured 3.5 s in headless Chromium here (8 s while the Overview's operator probe compiles it too).
    if (calibrate) ctx.progress('Starting onnxruntime-web for calibration', 0, 0);
    const ran = await applyRecipe(proto, resolved.value, {
      ...(calibrate ? { calibrate } : {}),
      progress: (stage, done, total) => ctx.progress(stage, done, total),
    });
    if (!ran.ok) {
      const f = ran.error;
      if (f.kind === 'cancelled') throw new ModelFailure(modelError('internal', 'Cancelled', 'The optimization was cancelled.', ''));
      const label = resolved.value[f.step]?.pass.label ?? f.pass;
      throw new ModelFailure(modelError('unsupported', `${label} could not be applied`, f.message, calibrationHint(f.message, calibration), fileName));
    }

    // Parameters and MACs of the input and the output, counted as the Overview counts them, so the variant
    // shows what the recipe removed (measured, not the estimate). The external data is inlined above.
    ctx.progress('Counting parameters and MACs', 0, 0);
    const before = measureCompute(proto);
    const after = measureCompute(ran.value.model);
    const compute: MeasuredModelCompute = {
      paramsBefore: before.params,
      paramsAfter: after.params,
      nonZeroParamsBefore: before.nonZeroParams,
      nonZeroParamsAfter: after.nonZeroParams,
      macsBefore: before.macs ?? null,
      macsAfter: after.macs ?? null,
    };

    ctx.progress('Encoding', 0, 0);
    const buffer = ownedBuffer(encodeModelProto(ran.value.model));
    const recipe = makeRecipe(
      resolved.value.map((s) => ({ pass: s.pass.id, options: s.options })),
      {
        model: { fileName, bytes: inputBytes },
        ...(calibrate && calibration ? { calibration: dataSourceName(calibration) } : {}),
        createdWith: 'Model Optimization Studio (web)',
      },
    );
    return {
      result: {
        bytes: buffer,
        inputBytes,
        reports: ran.value.reports,
        calibration: ran.value.calibration.map((c) => (c ? { source: c.source, samples: c.samples, warnings: c.warnings } : undefined)),
        seconds: ran.value.seconds,
        recipe,
        compute,
      },
      transfer: [buffer],
    };
  },
};

/** A failure inside a calibrating step is often the data's fault (wrong input names or shapes): say what to check. */
function calibrationHint(message: string, calibration: DataSource | undefined): string {
  if (calibration && /calibrat|sample|input/i.test(message)) {
    return 'check that the calibration data has one array per model input (named after it, or x for a single input) with samples along the first axis';
  }
  return 'exclude the node named in the message (Keep in float32, or the pass’s nodes to exclude), or choose other options';
}
