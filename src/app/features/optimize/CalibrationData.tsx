/**
 * "Calibration data" for passes that measure activation ranges (int8 static): the sample's shipped set,
 * data files (.npz/.npy/.json/input_*.pb), a folder of images with a declared preprocessing, or random
 * data — allowed, but with a visible warning, because ranges measured on noise fit real inputs badly.
 */
import { useId } from 'react';
import type { ImagePreprocessing } from '../../../core/data/types';
import { useStudio } from '../../store';
import { sampleCalibrationSet, setCalibration, setPreprocessing } from '../../optimize-actions';
import type { CalibrationChoice } from './optimize-state';

const IMAGE_EXT = /\.(png|jpe?g|webp|bmp|gif)$/i;

function numbers(text: string): number[] {
  return text
    .split(/[,\s]+/)
    .filter((s) => s !== '')
    .map(Number);
}

function PreprocessingFields({ value, disabled }: { value: ImagePreprocessing; disabled: boolean }) {
  const id = useId();
  const update = (p: Partial<ImagePreprocessing>): void => setPreprocessing({ ...value, ...p });
  return (
    <fieldset className="preprocessing" disabled={disabled}>
      <legend>Image preprocessing</legend>
      <label htmlFor={`${id}-w`}>Width</label>
      <input id={`${id}-w`} type="number" min={1} max={4096} value={value.width} onChange={(e) => update({ width: Math.max(1, Number(e.currentTarget.value) || 1) })} />
      <label htmlFor={`${id}-h`}>Height</label>
      <input id={`${id}-h`} type="number" min={1} max={4096} value={value.height} onChange={(e) => update({ height: Math.max(1, Number(e.currentTarget.value) || 1) })} />
      <label htmlFor={`${id}-layout`}>Layout</label>
      <select id={`${id}-layout`} value={value.layout} onChange={(e) => update({ layout: e.currentTarget.value === 'NHWC' ? 'NHWC' : 'NCHW' })}>
        <option value="NCHW">NCHW</option>
        <option value="NHWC">NHWC</option>
      </select>
      <label htmlFor={`${id}-c`}>Channels</label>
      <select id={`${id}-c`} value={value.channels} onChange={(e) => update({ channels: e.currentTarget.value === '1' ? 1 : 3 })}>
        <option value={3}>3 (RGB)</option>
        <option value={1}>1 (grey)</option>
      </select>
      <label htmlFor={`${id}-scale`}>Scale</label>
      <input id={`${id}-scale`} type="number" step="any" value={value.scale} onChange={(e) => update({ scale: Number(e.currentTarget.value) })} />
      <label htmlFor={`${id}-mean`}>Mean</label>
      <input id={`${id}-mean`} type="text" defaultValue={value.mean.join(', ')} onBlur={(e) => update({ mean: numbers(e.currentTarget.value) })} />
      <label htmlFor={`${id}-std`}>Std</label>
      <input id={`${id}-std`} type="text" defaultValue={value.std.join(', ')} onBlur={(e) => update({ std: numbers(e.currentTarget.value) })} />
      <p className="muted small">Each pixel (0–255) is multiplied by the scale, then (x − mean) / std per channel.</p>
    </fieldset>
  );
}

export function CalibrationData() {
  const choice = useStudio((s) => s.optimize.form.calibration);
  const preprocessing = useStudio((s) => s.optimize.form.preprocessing);
  const modelSource = useStudio((s) => s.modelSource);
  const samples = useStudio((s) => s.samples);
  const running = useStudio((s) => s.optimize.run !== null);
  const sampleSet = sampleCalibrationSet(modelSource, samples);
  const name = useId();
  const fileId = useId();
  const folderId = useId();
  // A sample choice without a shipped set (a user's model) shows as "nothing chosen yet".
  const kind: CalibrationChoice['kind'] | null = choice.kind === 'sample' && !sampleSet ? null : choice.kind;
  const files = choice.kind === 'files' || choice.kind === 'folder' ? choice.files : [];

  return (
    <fieldset className="calibration" disabled={running}>
      <legend>Calibration data</legend>
      <p className="muted small">Int8 static quantization measures the range of every quantized activation by running the model on these samples in onnxruntime-web.</p>
      {sampleSet && (
        <label className="calib-choice">
          <input type="radio" name={name} checked={kind === 'sample'} onChange={() => setCalibration({ kind: 'sample' })} />
          Shipped calibration set <span className="mono">{sampleSet.fileName}</span>
        </label>
      )}
      <div className="calib-choice">
        <label>
          <input type="radio" name={name} checked={kind === 'files'} onChange={() => setCalibration({ kind: 'files', files: choice.kind === 'files' ? choice.files : [] })} />
          Data file
        </label>
        <label htmlFor={fileId} className="visually-hidden">
          Calibration data file
        </label>
        <input
          id={fileId}
          type="file"
          multiple
          accept=".npz,.npy,.json,.pb"
          onChange={(e) => {
            const picked = Array.from(e.currentTarget.files ?? []);
            if (picked.length > 0) setCalibration({ kind: 'files', files: picked });
          }}
        />
        <span className="muted small">.npz with arrays named after the model inputs (or x), .npy, JSON, or a test_data_set’s input_*.pb</span>
      </div>
      <div className="calib-choice">
        <label>
          <input type="radio" name={name} checked={kind === 'folder'} onChange={() => setCalibration({ kind: 'folder', files: choice.kind === 'folder' ? choice.files : [], preprocessing })} />
          Image folder
        </label>
        <label htmlFor={folderId} className="visually-hidden">
          Calibration image folder
        </label>
        <input
          id={folderId}
          type="file"
          multiple
          ref={(el) => el?.setAttribute('webkitdirectory', '')}
          onChange={(e) => {
            const picked = Array.from(e.currentTarget.files ?? []).filter((f) => IMAGE_EXT.test(f.name));
            setCalibration({ kind: 'folder', files: picked, preprocessing });
          }}
        />
        {kind === 'folder' && <PreprocessingFields value={preprocessing} disabled={running} />}
      </div>
      <label className="calib-choice">
        <input type="radio" name={name} checked={kind === 'random'} onChange={() => setCalibration({ kind: 'random', samples: 32, seed: 1 })} />
        Random data
      </label>
      {kind === 'random' && (
        <p className="pass-note warning" role="note">
          <strong>Warning:</strong> ranges measured on random inputs do not match real data; accuracy of the quantized model may drop sharply. Use it to try the pipeline, not to ship.
        </p>
      )}
      {files.length > 0 && (
        <p className="small">
          {files.length === 1 ? <span className="mono">{files[0]?.name}</span> : `${files.length} files`} chosen
        </p>
      )}
    </fieldset>
  );
}
