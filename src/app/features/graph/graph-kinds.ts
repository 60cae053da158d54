/**
 * Run-time copies of the small constants of core/graph-view/types.ts. The app may import core's
 * types only (core code runs in workers), so the values are repeated here — and typed with
 * `typeof` the core's declarations, so the compiler fails if the two ever disagree.
 */
import type {
  CHAR_WIDTH as CoreCharWidth,
  LINE_HEIGHT as CoreLineHeight,
  NODE_FONT_PX as CoreFontPx,
  NodeKind as CoreNodeKind,
} from '../../../core/graph-view/types';

export const NodeKind: typeof CoreNodeKind = { Op: 0, Input: 1, Output: 2 };
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];
export const NODE_FONT_PX: typeof CoreFontPx = 12;
export const CHAR_WIDTH: typeof CoreCharWidth = 7.2;
export const LINE_HEIGHT: typeof CoreLineHeight = 16;
