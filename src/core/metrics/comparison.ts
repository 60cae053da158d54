/**
 * What comparing a candidate model with its reference on the same samples gives (runtime/compare-models.ts
 * computes it; the CLI, the bench worker and the lab report read it): per output fidelity, top-1/top-5
 * agreement for classifier outputs, both labelled accuracies.
 */
import type { Accuracy, Fidelity } from './fidelity.js';

export interface OutputFidelity extends Fidelity {
  readonly name: string;
  /** Classes per row for classifier-shaped outputs ([N, C], C ≥ 2). */
  readonly classes?: number;
  readonly top1Agreement?: number;
  /** Only when C > 5. */
  readonly top5Agreement?: number;
}

export interface CompareReport {
  readonly samples: number;
  readonly source: string;
  readonly outputs: readonly OutputFidelity[];
  /** The output that top-level agreement and accuracy are about: the first classifier-shaped one. */
  readonly classifierOutput?: string;
  readonly top1Agreement?: number;
  readonly top5Agreement?: number;
  readonly refAccuracy?: Accuracy;
  readonly candAccuracy?: Accuracy;
  readonly warnings: readonly string[];
}
