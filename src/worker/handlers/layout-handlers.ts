/**
 * The layout worker's handler. Layout is the one step whose cost grows fastest with graph size, so it
 * runs alone in its worker: cancelling it terminates only this worker, and the page stays responsive.
 */
import { layoutGraph } from '../../core/layout';
import type { Handlers } from '../host';
import { typedArrayBuffers } from '../transfer';

export const layoutHandlers: Handlers = {
  async 'graph/layout'({ graph }, ctx) {
    const layout = layoutGraph(graph, { onProgress: (phase, done, total) => ctx.progress(phase, done, total) });
    return { result: layout, transfer: typedArrayBuffers(layout) };
  },
};
