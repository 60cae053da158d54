/**
 * Node box sizes from their text, with the fixed-advance estimate of types.ts (CHAR_WIDTH per
 * character at NODE_FONT_PX). The renderer draws with the same constants, so text fits its box.
 */
import { CHAR_WIDTH, LINE_HEIGHT } from './types.js';

export const MIN_NODE_WIDTH = 80;
/** Horizontal padding, both sides together. */
export const NODE_PADDING_X = 20;
/** Vertical padding, top and bottom together. */
export const NODE_PADDING_Y = 8;
/** Longest text (in characters) a box is sized for; longer titles are clipped by the renderer. */
export const MAX_SIZED_CHARS = 48;

export function nodeWidth(title: string, lines: readonly string[]): number {
  let chars = title.length;
  for (const l of lines) if (l.length > chars) chars = l.length;
  return Math.max(MIN_NODE_WIDTH, Math.min(chars, MAX_SIZED_CHARS) * CHAR_WIDTH + NODE_PADDING_X);
}

export function nodeHeight(lineCount: number): number {
  return LINE_HEIGHT * (1 + lineCount) + NODE_PADDING_Y;
}
