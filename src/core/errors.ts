/**
 * Errors are values (ARCHITECTURE.md): parsing and validation return a ModelError that a user can act
 * on — what the file is, what is wrong, what to do. Only bugs throw.
 */
export type ModelErrorCode =
  | 'empty-file'
  | 'truncated'
  | 'not-onnx'
  | 'pytorch'
  | 'tflite'
  | 'keras-h5'
  | 'tf-savedmodel'
  | 'tf-graphdef'
  | 'archive'
  | 'text-file'
  | 'missing-external-data'
  | 'bad-external-data'
  | 'invalid-model'
  | 'too-large'
  | 'unsupported'
  | 'internal';

export interface ModelError {
  readonly code: ModelErrorCode;
  /** One line: what the file is or what failed, e.g. "This is a PyTorch checkpoint, not an ONNX model". */
  readonly title: string;
  /** What exactly is wrong, in the user's terms. */
  readonly message: string;
  /** What to do about it (e.g. how to export to ONNX). */
  readonly hint: string;
  /** The file the error is about, when there is one. */
  readonly file?: string;
}

export type Result<T, E = ModelError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

export function modelError(code: ModelErrorCode, title: string, message: string, hint: string, file?: string): ModelError {
  return file === undefined ? { code, title, message, hint } : { code, title, message, hint, file };
}

/** One line for terminals and logs: "title: message (hint)". */
export function formatModelError(e: ModelError): string {
  const where = e.file ? `${e.file}: ` : '';
  return `${where}${e.title}. ${e.message}${e.hint ? ` — ${e.hint}` : ''}`;
}
