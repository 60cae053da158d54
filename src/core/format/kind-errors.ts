/**
 * The user-facing error for each kind of file that is not (a usable) ONNX model: what it is (title),
 * what is wrong (message) and what to do (hint) — formatModelError joins them into one line.
 *
 * Style: titles name the file's kind without a full stop; messages are sentences; hints start lower
 * case and give the exact command when there is one.
 */
import type { ModelError } from '../errors.js';
import { modelError } from '../errors.js';
import { dtypeName } from '../onnx/dtypes.js';
import type { FileKind, Truncation } from './sniff.js';

/** 26454 → "26,454" without depending on the platform's locale data. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

const baseName = (name: string): string => name.split(/[\\/]/).pop() ?? name;

/** A file name as it would be typed in a shell command. */
const shellArg = (name: string): string => (/^[\w.+-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`);

export const TORCH_EXPORT_HINT = "load it in Python and export it with torch.onnx.export(model, example_input, 'model.onnx', opset_version=17)";
export const EXTERNAL_DATA_HINT = 'select the .onnx together with its data files (they must keep their names)';
export const SAVED_MODEL_HINT = 'convert the folder with tf2onnx: python -m tf2onnx.convert --saved-model DIR --output model.onnx';
const REDOWNLOAD_HINT = 'download or copy it again; the transfer was interrupted';

export function truncatedError(fileName: string, t: Truncation): ModelError {
  const message =
    t.need !== undefined
      ? `It has ${plural(t.have, 'byte')}, but its ${t.field ?? 'data'} runs to byte ${formatCount(t.need)}: at least ${plural(t.need - t.have, 'byte')} are cut off.`
      : `It is cut off in the middle of a field after ${plural(t.have, 'byte')}.`;
  return modelError('truncated', 'The ONNX file is truncated', message, REDOWNLOAD_HINT, fileName);
}

/** The error for a file of this kind, or undefined when it is a complete ONNX model. */
export function fileKindError(kind: FileKind, fileName: string): ModelError | undefined {
  const name = baseName(fileName);
  const e = (code: ModelError['code'], title: string, message: string, hint: string): ModelError => modelError(code, title, message, hint, fileName);
  switch (kind.kind) {
    case 'onnx':
      return kind.truncated ? truncatedError(fileName, kind.truncated) : undefined;
    case 'empty':
      return e('empty-file', 'The file is empty', 'It has 0 bytes: the download or copy saved nothing.', 'get the file again');
    case 'onnx-tensor': {
      const what = [kind.name ? `'${kind.name}'` : '', `${dtypeName(kind.dataType)} [${kind.dims.join(', ')}]`].filter(Boolean).join(', ');
      return e('not-onnx', 'This is an ONNX tensor, not a model', `It is a serialized TensorProto (${what}), like the input_0.pb / output_0.pb files of ONNX test data.`, 'select the model.onnx file that goes with it');
    }
    case 'onnx-value':
      return e('not-onnx', 'This is an ONNX test value, not a model', `It is a serialized sequence, map or optional value${kind.name ? ` ('${kind.name}')` : ''}, like the input_0.pb / output_0.pb files of ONNX test data.`, 'select the model.onnx file that goes with it');
    case 'onnx-external-data':
      return e('not-onnx', 'This is ONNX external data, not the model', 'It holds raw tensor bytes; the graph that uses them is in a separate .onnx file.', EXTERNAL_DATA_HINT);
    case 'ort-format':
      return e('unsupported', 'This is an ONNX Runtime .ort model, not an .onnx model', "The ORT format is a FlatBuffer for onnxruntime's minimal builds; the studio reads ONNX protobuf.", 'select the .onnx file it was converted from');
    case 'pytorch-zip':
      return kind.torchscript
        ? e('pytorch', 'This is a TorchScript model, not an ONNX model', `It is a torch.jit.save() archive (${kind.entry}); only PyTorch can load it.`, TORCH_EXPORT_HINT)
        : e('pytorch', 'This is a PyTorch checkpoint, not an ONNX model', `It is a torch.save() zip archive (${kind.entry}) of pickled Python objects and weights; only PyTorch can load it.`, TORCH_EXPORT_HINT);
    case 'pytorch-legacy':
      return e('pytorch', 'This is a PyTorch checkpoint, not an ONNX model', 'It is a legacy torch.save() file (a pickle); only PyTorch can load it.', TORCH_EXPORT_HINT);
    case 'pickle':
      return e(
        'pytorch',
        'This is a Python pickle, not an ONNX model',
        `It holds pickled Python objects (protocol ${kind.protocol}), e.g. a PyTorch checkpoint or a scikit-learn model; only Python can load them.`,
        "load it in Python and export to ONNX: torch.onnx.export(model, example_input, 'model.onnx', opset_version=17) for PyTorch, skl2onnx for scikit-learn",
      );
    case 'tflite':
      return e('tflite', 'This is a TensorFlow Lite model, not an ONNX model', 'It is a .tflite FlatBuffer (identifier TFL3).', `convert it with tf2onnx: python -m tf2onnx.convert --tflite ${shellArg(name)} --output model.onnx`);
    case 'hdf5':
      return e('keras-h5', 'This is an HDF5 file (Keras .h5), not an ONNX model', 'Keras saves layer weights and its own config in HDF5; there is no ONNX graph in it.', `convert it with tf2onnx: python -m tf2onnx.convert --keras ${shellArg(name)} --output model.onnx`);
    case 'keras-v3':
      return e('keras-h5', 'This is a Keras 3 model (.keras), not an ONNX model', 'A .keras file is a zip of the Keras config and weights; only Keras can rebuild the graph.', "load it in Keras and run model.export('model.onnx', format='onnx') (Keras 3.6 or later)");
    case 'tf-savedmodel':
      return e('tf-savedmodel', 'This is a TensorFlow SavedModel, not an ONNX model', `${name} is the graph of a SavedModel folder; its weights are in the variables/ folder next to it.`, SAVED_MODEL_HINT);
    case 'tf-graphdef':
      return e(
        'tf-graphdef',
        'This is a TensorFlow GraphDef (frozen graph), not an ONNX model',
        `It is a TensorFlow graph protobuf${kind.firstOp ? ` (first op: ${kind.firstOp})` : ''}.`,
        `convert it with tf2onnx: python -m tf2onnx.convert --graphdef ${shellArg(name)} --inputs INPUT:0 --outputs OUTPUT:0 --output model.onnx`,
      );
    case 'tfjs':
      return e('unsupported', 'This is a TensorFlow.js model, not an ONNX model', 'model.json describes the graph; the weights are in the .bin shards next to it.', `convert it with tf2onnx: python -m tf2onnx.convert --tfjs ${shellArg(name)} --output model.onnx`);
    case 'safetensors':
      return e(
        'unsupported',
        'This is a safetensors file, not an ONNX model',
        `safetensors holds weights only${kind.tensors !== undefined ? ` (${plural(kind.tensors, 'tensor')})` : ''} and no graph, so there is nothing to run or optimize.`,
        'export the model from its framework, e.g. torch.onnx.export(…) or optimum-cli export onnx --model MODEL_ID out/',
      );
    case 'gguf':
      return e('unsupported', 'This is a GGUF model (llama.cpp), not an ONNX model', `GGUF${kind.version ? ` v${kind.version}` : ''} holds weights for llama.cpp's own runtime; it has no ONNX graph.`, 'export the original model to ONNX from its framework, e.g. optimum-cli export onnx --model MODEL_ID out/');
    case 'numpy':
      return e('unsupported', kind.archive ? 'This is a NumPy .npz archive, not an ONNX model' : 'This is a NumPy array file, not an ONNX model', 'It holds arrays (data or weights), not a graph.', 'select the .onnx model file');
    case 'zip':
      return zipError(kind, e);
    case 'git-lfs-pointer':
      return e(
        'text-file',
        'This is a Git LFS pointer, not the model',
        `It is a small placeholder${kind.size !== undefined ? ` for a ${formatCount(kind.size)}-byte file` : ''}; the real file was never downloaded.`,
        "run git lfs pull in the repository, or download the file itself (on Hugging Face: the 'resolve' link, not 'blob')",
      );
    case 'html':
      return e('text-file', 'This is a web page, not an ONNX model', 'The download saved an HTML page (a login, error or preview page) instead of the file.', "download the raw file (on Hugging Face: the 'resolve' link; on GitHub: 'Download raw file')");
    case 'hf-config':
      return e('text-file', 'This is a Hugging Face config.json, not an ONNX model', "It describes a model's architecture; the graph and weights are in other files.", 'export the model with optimum-cli export onnx --model MODEL_ID out/, or download its .onnx file');
    case 'json':
      return e('text-file', 'This is a JSON file, not an ONNX model', 'ONNX models are binary protobuf files.', 'select the .onnx file');
    case 'text':
      return e('text-file', 'This is a text file, not an ONNX model', `It starts with “${kind.preview}”; ONNX models are binary protobuf files.`, 'select the binary .onnx file');
    case 'protobuf':
      return e('not-onnx', 'This is a protobuf file, but not an ONNX model', 'Its top-level fields do not match an ONNX ModelProto.', 'select a .onnx model file');
    case 'unknown':
      return e('not-onnx', 'This is not an ONNX model', `Its first bytes (${kind.head}) match no model format the studio knows.`, 'select a .onnx file, or export one from your framework (torch.onnx.export, tf2onnx, skl2onnx)');
  }
}

function zipError(
  kind: Extract<FileKind, { kind: 'zip' }>,
  e: (code: ModelError['code'], title: string, message: string, hint: string) => ModelError,
): ModelError {
  const [first, ...rest] = kind.onnxEntries;
  if (first !== undefined) {
    const others = kind.total - 1;
    const more = rest.length > 0 ? ` and ${plural(rest.length, 'other model')}` : '';
    return e('archive', 'This is a zip archive', `It contains ${first}${more}${others > rest.length ? ` (${plural(kind.total, 'file')} in all)` : ''}; the studio reads .onnx files directly.`, `unzip it and select ${baseName(first)} together with its data files`);
  }
  if (kind.savedModel) return e('archive', 'This is a zipped TensorFlow SavedModel, not an ONNX model', 'It contains saved_model.pb, a TensorFlow graph.', `unzip it, then ${SAVED_MODEL_HINT}`);
  const shown = kind.entries.slice(0, 3).join(', ');
  const files = kind.total === 0 ? 'no files' : `${plural(kind.total, 'file')} (${shown}${kind.total > 3 ? ', …' : ''})`;
  return e('archive', 'This is a zip archive, not an ONNX model', `It holds ${files} and no .onnx model.`, 'unzip it and select the .onnx model inside, if there is one');
}
