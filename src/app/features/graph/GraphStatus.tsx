/** Progress, cancellation and failure of building + laying out the graph. */
import type { GraphState } from '../../store';
import { cancelGraph, loadGraph } from '../../graph-actions';
import { stageText } from './panel-text';

export function GraphStatus({ graph }: { graph: GraphState }) {
  if (graph.status === 'building' || graph.status === 'laying-out') {
    const p = graph.progress;
    const determinate = p !== null && p.total > 0;
    return (
      <div className="graph-status" role="status">
        <span>{stageText(graph)}</span>
        <progress aria-label="Laying out graph" max={determinate ? p.total : undefined} value={determinate ? p.done : undefined} />
        <button type="button" className="button" onClick={() => cancelGraph()}>
          Cancel
        </button>
      </div>
    );
  }
  if (graph.status === 'cancelled') {
    return (
      <div className="graph-status" role="status">
        <span>Layout cancelled</span>
        <button type="button" className="button" onClick={() => void loadGraph(graph.scopePath)}>
          Lay out again
        </button>
      </div>
    );
  }
  if (graph.status === 'error') {
    return (
      <div className="graph-status banner error" role="alert">
        <div>
          <strong>Could not show the graph</strong>
          <p>{graph.error ?? 'Unknown error'}</p>
        </div>
        <button type="button" className="button" onClick={() => void loadGraph(graph.scopePath)}>
          Try again
        </button>
      </div>
    );
  }
  return null;
}
