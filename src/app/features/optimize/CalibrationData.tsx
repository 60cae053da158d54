/**
 * "Calibration data" for passes that measure activation ranges (int8 static): the sample's shipped set,
 * data files (.npz/.npy/.json/input_*.pb), a folder of images with a declared preprocessing, or random
 * data — allowed, but with a visible warning, because ranges measured on noise fit real inputs badly.
 */
import { DataChoiceFieldset } from '../../components/DataChoiceFieldset';
import { useStudio } from '../../store';
import { sampleCalibrationSet, setCalibration, setPreprocessing } from '../../optimize-actions';

export function CalibrationData() {
  const choice = useStudio((s) => s.optimize.form.calibration);
  const preprocessing = useStudio((s) => s.optimize.form.preprocessing);
  const modelSource = useStudio((s) => s.modelSource);
  const samples = useStudio((s) => s.samples);
  const running = useStudio((s) => s.optimize.run !== null);
  const sampleSet = sampleCalibrationSet(modelSource, samples);
  return (
    <DataChoiceFieldset
      legend="Calibration data"
      className="calibration"
      intro={<p className="muted small">Int8 static quantization measures the range of every quantized activation by running the model on these samples in onnxruntime-web.</p>}
      disabled={running}
      choice={choice}
      // A sample choice without a shipped set (a user's model) shows as "nothing chosen yet".
      checked={choice.kind === 'sample' && !sampleSet ? null : choice.kind}
      {...(sampleSet ? { shipped: { label: 'Shipped calibration set', fileName: sampleSet.fileName } } : {})}
      preprocessing={preprocessing}
      onChoose={setCalibration}
      onPreprocessing={setPreprocessing}
      fileLabel="Calibration data file"
      folderLabel="Calibration image folder"
      fileHint=".npz with arrays named after the model inputs (or x), .npy, JSON, or a test_data_set’s input_*.pb"
      randomWarning="ranges measured on random inputs do not match real data; accuracy of the quantized model may drop sharply. Use it to try the pipeline, not to ship."
    />
  );
}
