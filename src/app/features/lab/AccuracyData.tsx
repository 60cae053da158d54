/**
 * Where accuracy samples come from (issue 6, "Accuracy"): the sample's shipped labelled test set, a data
 * file with labels y (.npz/.npy/.json), an image folder with one subfolder per class, or random data —
 * with a visible warning: on random inputs fidelity says little and there is no accuracy.
 */
import { useId } from 'react';
import { imageFiles, PreprocessingFields } from '../../components/PreprocessingFields';
import { useStudio } from '../../store';
import { defaultPreprocessing } from '../optimize/optimize-state';
import { useLab } from './lab-store';
import type { LabDataChoice } from './lab-store';
import { setLabData } from './lab-actions';
import { labOriginal, sampleTestSet } from './lab-models';

export function AccuracyData() {
  const choice = useLab((s) => s.data);
  const running = useLab((s) => s.job !== null);
  const samples = useStudio((s) => s.samples);
  // Subscribing to these keeps the shipped set in step with the open model.
  useStudio((s) => s.modelSource);
  useStudio((s) => s.optimize.variants);
  const shipped = sampleTestSet(labOriginal()?.source, samples);
  const name = useId();
  const fileId = useId();
  const folderId = useId();
  // The "sample" choice without a shipped set (a user's model) means random data.
  const kind: LabDataChoice['kind'] = choice.kind === 'sample' && !shipped ? 'random' : choice.kind;
  const files = choice.kind === 'files' || choice.kind === 'folder' ? choice.files : [];
  const preprocessing = choice.kind === 'folder' ? choice.preprocessing : defaultPreprocessing;

  return (
    <fieldset className="calibration lab-data" disabled={running}>
      <legend>Accuracy data</legend>
      {shipped && (
        <label className="calib-choice">
          <input type="radio" name={name} checked={kind === 'sample'} onChange={() => setLabData({ kind: 'sample' })} />
          Shipped test set <span className="mono">{shipped.fileName}</span>
        </label>
      )}
      <div className="calib-choice">
        <label>
          <input type="radio" name={name} checked={kind === 'files'} onChange={() => setLabData({ kind: 'files', files: choice.kind === 'files' ? choice.files : [] })} />
          Data file
        </label>
        <label htmlFor={fileId} className="visually-hidden">
          Accuracy data file
        </label>
        <input
          id={fileId}
          type="file"
          multiple
          accept=".npz,.npy,.json,.pb"
          onChange={(e) => {
            const picked = Array.from(e.currentTarget.files ?? []);
            if (picked.length > 0) setLabData({ kind: 'files', files: picked });
          }}
        />
        <span className="muted small">.npz with inputs (named after the model inputs, or x) and integer labels y, .npy, or JSON {'{ "x", "y" }'}</span>
      </div>
      <div className="calib-choice">
        <label>
          <input type="radio" name={name} checked={kind === 'folder'} onChange={() => setLabData({ kind: 'folder', files: choice.kind === 'folder' ? choice.files : [], preprocessing })} />
          Image folder
        </label>
        <label htmlFor={folderId} className="visually-hidden">
          Accuracy image folder
        </label>
        <input
          id={folderId}
          type="file"
          multiple
          ref={(el) => el?.setAttribute('webkitdirectory', '')}
          onChange={(e) => {
            const picked = imageFiles(e.currentTarget.files);
            setLabData({ kind: 'folder', files: picked, preprocessing });
          }}
        />
        <span className="muted small">one subfolder per class (the folder names are the classes)</span>
        {kind === 'folder' && <PreprocessingFields value={preprocessing} onChange={(p) => setLabData({ kind: 'folder', files, preprocessing: p })} />}
      </div>
      <label className="calib-choice">
        <input type="radio" name={name} checked={kind === 'random'} onChange={() => setLabData({ kind: 'random', samples: 32, seed: 1 })} />
        Random data
      </label>
      {kind === 'random' && (
        <p className="pass-note warning" role="note">
          <strong>Warning:</strong> on random inputs the comparison shows how far the variants’ outputs drift from the original’s, not how accurate they are; there is no accuracy without labels.
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
