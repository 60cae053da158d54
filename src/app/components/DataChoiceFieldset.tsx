/**
 * Where sample data comes from — the sample's shipped set, data files, an image folder with a declared
 * preprocessing, or random data with a visible warning. One form for calibration (Optimize) and for
 * accuracy (Benchmark); the callers say what the data is for.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import type { ImagePreprocessing } from '../../core/data/types';
import { imageFiles, PreprocessingFields } from './PreprocessingFields';
import type { DataChoice } from './data-choice';

export type { DataChoice } from './data-choice';


export interface DataChoiceProps {
  readonly legend: string;
  readonly intro?: ReactNode;
  readonly className: string;
  readonly disabled: boolean;
  readonly choice: DataChoice;
  /** The radio shown as checked (a caller may show a "sample" choice without a shipped set differently). */
  readonly checked: DataChoice['kind'] | null;
  /** The shipped set, when the open model is a sample: the radio's label and the file's name. */
  readonly shipped?: { readonly label: string; readonly fileName: string };
  readonly preprocessing: ImagePreprocessing;
  onChoose(choice: DataChoice): void;
  onPreprocessing(preprocessing: ImagePreprocessing): void;
  /** Accessible names of the file inputs ("Calibration data file", "Calibration image folder"). */
  readonly fileLabel: string;
  readonly folderLabel: string;
  readonly fileHint: ReactNode;
  readonly folderHint?: ReactNode;
  readonly randomWarning: ReactNode;
}

export function DataChoiceFieldset(p: DataChoiceProps) {
  const name = useId();
  const fileId = useId();
  const folderId = useId();
  const { choice, checked: kind, preprocessing } = p;
  const files = choice.kind === 'files' || choice.kind === 'folder' ? choice.files : [];
  return (
    <fieldset className={p.className} disabled={p.disabled}>
      <legend>{p.legend}</legend>
      {p.intro}
      {p.shipped && (
        <label className="calib-choice">
          <input type="radio" name={name} checked={kind === 'sample'} onChange={() => p.onChoose({ kind: 'sample' })} />
          {p.shipped.label} <span className="mono">{p.shipped.fileName}</span>
        </label>
      )}
      <div className="calib-choice">
        <label>
          <input type="radio" name={name} checked={kind === 'files'} onChange={() => p.onChoose({ kind: 'files', files: choice.kind === 'files' ? choice.files : [] })} />
          Data file
        </label>
        <label htmlFor={fileId} className="visually-hidden">
          {p.fileLabel}
        </label>
        <input
          id={fileId}
          type="file"
          multiple
          accept=".npz,.npy,.json,.pb"
          onChange={(e) => {
            const picked = Array.from(e.currentTarget.files ?? []);
            if (picked.length > 0) p.onChoose({ kind: 'files', files: picked });
          }}
        />
        <span className="muted small">{p.fileHint}</span>
      </div>
      <div className="calib-choice">
        <label>
          <input type="radio" name={name} checked={kind === 'folder'} onChange={() => p.onChoose({ kind: 'folder', files: choice.kind === 'folder' ? choice.files : [], preprocessing })} />
          Image folder
        </label>
        <label htmlFor={folderId} className="visually-hidden">
          {p.folderLabel}
        </label>
        <input id={folderId} type="file" multiple ref={(el) => el?.setAttribute('webkitdirectory', '')} onChange={(e) => p.onChoose({ kind: 'folder', files: imageFiles(e.currentTarget.files), preprocessing })} />
        {p.folderHint && <span className="muted small">{p.folderHint}</span>}
        {kind === 'folder' && <PreprocessingFields value={preprocessing} disabled={p.disabled} onChange={p.onPreprocessing} />}
      </div>
      <label className="calib-choice">
        <input type="radio" name={name} checked={kind === 'random'} onChange={() => p.onChoose({ kind: 'random', samples: 32, seed: 1 })} />
        Random data
      </label>
      {kind === 'random' && (
        <p className="pass-note warning" role="note">
          <strong>Warning:</strong> {p.randomWarning}
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
