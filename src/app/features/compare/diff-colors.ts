import type { DiffStatus } from '../../../core/diff/types';

/** Node fills of the compare view; the legend and both canvases use these. */
export const DIFF_COLORS: Readonly<Record<DiffStatus, string>> = {
  added: '#4caf6e',
  removed: '#e05a52',
  changed: '#f0b429',
  same: '#c9ced6',
};

export const DIFF_LABELS: Readonly<Record<DiffStatus, string>> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  same: 'same',
};
