/**
 * Where accuracy samples come from (issue 6, "Accuracy"): the sample's shipped labelled test set, a data
 * file with labels y (.npz/.npy/.json), an image folder with one subfolder per class, or random data —
 * with a visible warning: on random inputs fidelity says little and there is no accuracy.
 */
import { DataChoiceFieldset } from '../../components/DataChoiceFieldset';
import { useStudio } from '../../store';
import { defaultPreprocessing } from '../optimize/optimize-state';
import { useLab } from './lab-store';
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
  const files = choice.kind === 'files' || choice.kind === 'folder' ? choice.files : [];
  return (
    <DataChoiceFieldset
      legend="Accuracy data"
      className="calibration lab-data"
      disabled={running}
      choice={choice}
      // The "sample" choice without a shipped set (a user's model) means random data.
      checked={choice.kind === 'sample' && !shipped ? 'random' : choice.kind}
      {...(shipped ? { shipped: { label: 'Shipped test set', fileName: shipped.fileName } } : {})}
      preprocessing={choice.kind === 'folder' ? choice.preprocessing : defaultPreprocessing}
      onChoose={setLabData}
      onPreprocessing={(preprocessing) => setLabData({ kind: 'folder', files, preprocessing })}
      fileLabel="Accuracy data file"
      folderLabel="Accuracy image folder"
      fileHint={'.npz with inputs (named after the model inputs, or x) and integer labels y, .npy, or JSON { "x", "y" }'}
      folderHint="one subfolder per class (the folder names are the classes)"
      randomWarning="on random inputs the comparison shows how far the variants’ outputs drift from the original’s, not how accurate they are; there is no accuracy without labels."
    />
  );
}
