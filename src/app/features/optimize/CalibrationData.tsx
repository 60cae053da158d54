/**
 * "Calibration data" for passes that measure activation ranges (int8 static): the sample's shipped set,
 * data files (.npz/.npy/.json/input_*.pb), a folder of images with a declared preprocessing, or random
 * data — allowed, but with a visible warning, because ranges measured on noise fit real inputs badly.
 */
import { useId } from 'react';
import { imageFiles, PreprocessingFields } from '../../components/PreprocessingFields';
import { useStudio } from '../../store';
import { sampleCalibrationSet, setCalibration, setPreprocessing } from '../../optimize-actions';
import type { CalibrationChoice } from './optimize-state';

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
            const picked = imageFiles(e.currentTarget.files);
            setCalibration({ kind: 'folder', files: picked, preprocessing });
          }}
        />
        {kind === 'folder' && <PreprocessingFields value={preprocessing} disabled={running} onChange={setPreprocessing} />}
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
