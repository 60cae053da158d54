/** Where sample data comes from (calibration, accuracy): see DataChoiceFieldset.tsx. */
import type { ImagePreprocessing } from '../../core/data/types';

export type DataChoice =
  | { readonly kind: 'sample' }
  | { readonly kind: 'files'; readonly files: readonly File[] }
  | { readonly kind: 'folder'; readonly files: readonly File[]; readonly preprocessing: ImagePreprocessing }
  | { readonly kind: 'random'; readonly samples: number; readonly seed: number };
