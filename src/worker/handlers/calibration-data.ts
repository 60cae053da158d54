/**
 * Calibration data for the optimize worker: a DataSource (files the user picked, the sample's shipped
 * set by URL, or random data) → a Calibrator (src/runtime/dataset-calibrator.ts binds the data to the
 * inputs of whatever model the recipe has produced by then, and runs onnxruntime-web).
 *
 * Reading happens before the model is read, so a file that is not sample data fails at once with a
 * message saying which formats work (core/data/read-dataset.ts writes those messages).
 */
import { modelError } from '../../core/errors';
import { CONVERT_HINT, readDataset } from '../../core/data/read-dataset';
import type { DataFile } from '../../core/data/read-dataset';
import type { Calibrator } from '../../core/transform/types';
import { calibratorForDataset, randomCalibrator } from '../../runtime/dataset-calibrator';
import { readDataFiles } from '../decode-images';
import { ModelFailure } from '../host';
import type { HandlerContext } from '../host';
import type { DataSource } from '../protocol';
import { readSource } from '../read-source';

/** What the recipe and the report call the data: "digits_calib.npz", "flowers/ (120 files)", "random data …". */
export function dataSourceName(source: DataSource): string {
  if (source.kind === 'url') return source.fileName;
  if (source.kind === 'random') return `random data (${source.samples} samples, seed ${source.seed})`;
  const first = source.files[0];
  if (source.files.length === 1 && first) return first.name;
  const folder = first?.webkitRelativePath.split('/')[0];
  return folder ? `${folder}/ (${source.files.length} files)` : `${source.files.length} files`;
}

function badData(name: string, message: string): ModelFailure {
  return new ModelFailure(modelError('unsupported', 'The calibration data could not be read', message, CONVERT_HINT, name));
}

export async function calibratorFor(source: DataSource, ctx: HandlerContext): Promise<Calibrator> {
  if (source.kind === 'random') return randomCalibrator(source.samples, source.seed);
  const name = dataSourceName(source);
  let files: DataFile[];
  if (source.kind === 'url') {
    const [file] = await readSource(source, ctx);
    if (!file) throw badData(name, `${name} could not be fetched`);
    files = [file];
  } else {
    const read = await readDataFiles(source.files, (done, total) => ctx.progress('Reading calibration data', done, total));
    if (!read.ok) throw badData(name, read.error);
    files = read.value;
  }
  const dataset = readDataset(files, source.kind === 'files' && source.preprocessing ? { preprocessing: source.preprocessing } : {});
  if (!dataset.ok) throw badData(name, dataset.error);
  return calibratorForDataset(dataset.value);
}
