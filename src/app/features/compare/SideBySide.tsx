/**
 * Both models' graphs next to each other, nodes coloured by diff status. Selecting a node selects and
 * centres its counterpart in the other graph (ModelDiff.matches).
 */
import { useCallback, useMemo } from 'react';
import type { DiffStatus, ModelDiff } from '../../../core/diff/types';
import type { GraphLayout, ViewGraph } from '../../../core/graph-view/types';
import type { GraphState } from '../../store';
import { useStudio } from '../../store';
import { GraphCanvas } from '../graph/GraphCanvas';
import { DIFF_COLORS, DIFF_LABELS } from './diff-colors';
import type { DiffSide } from './DiffLists';

export interface CompareSelection {
  readonly base: string | null;
  readonly other: string | null;
  /**
   * The last request to centre each canvas on a node (a new seq centres again). Kept apart from the
   * selection: a click in one graph centres the counterpart in the other, not the node clicked.
   */
  readonly baseCentre: CentreRequest | null;
  readonly otherCentre: CentreRequest | null;
}

export interface CentreRequest {
  readonly id: string;
  readonly seq: number;
}

interface PaneProps {
  readonly side: DiffSide;
  readonly title: string;
  readonly graph: GraphState;
  readonly status: Readonly<Record<string, DiffStatus>>;
  readonly selectedId: string | null;
  readonly centre: CentreRequest | null;
  onSelect(side: DiffSide, id: string | null): void;
}

function Pane({ side, title, graph, status, selectedId, centre, onSelect }: PaneProps) {
  const { view, layout } = graph;
  const indexOf = useMemo(() => new Map((view?.ids ?? []).map((id, i) => [id, i])), [view]);
  const colorOf = useCallback(
    (i: number): string | undefined => {
      const st = status[view?.ids[i] ?? ''];
      return st ? DIFF_COLORS[st] : undefined;
    },
    [view, status],
  );
  const select = useCallback((i: number | null) => onSelect(side, i === null ? null : (view?.ids[i] ?? null)), [onSelect, side, view]);
  const selectedIndex = selectedId !== null ? (indexOf.get(selectedId) ?? null) : null;
  const centreIndex = centre ? indexOf.get(centre.id) : undefined;
  const centreSeq = centre?.seq ?? 0;
  const centerOn = useMemo(() => (centreIndex !== undefined ? { index: centreIndex, seq: centreSeq } : undefined), [centreIndex, centreSeq]);
  const ready = graph.status === 'ready' && view !== null && layout !== null;
  const label = `${side === 'base' ? 'Base' : 'Compared'} graph: ${title}`;
  const chosen = selectedIndex !== null && view ? describe(view, selectedIndex, status) : '';

  return (
    <div className="compare-pane">
      <h3 className="break">{label}</h3>
      {ready ? (
        <ReadyCanvas view={view} layout={layout} label={label} selectedIndex={selectedIndex} onSelect={select} colorOf={colorOf} centerOn={centerOn} />
      ) : (
        <div className="compare-pane-status" role={graph.status === 'error' ? 'alert' : 'status'}>
          {graph.status === 'error' ? `Could not draw this graph: ${graph.error ?? 'unknown error'}` : graph.status === 'cancelled' ? 'Layout cancelled.' : (graph.progress?.stage ?? 'Preparing the graph…')}
        </div>
      )}
      <p className="muted small" aria-live="polite">
        {chosen}
      </p>
    </div>
  );
}

function ReadyCanvas(props: {
  view: ViewGraph;
  layout: GraphLayout;
  label: string;
  selectedIndex: number | null;
  onSelect(i: number | null): void;
  colorOf(i: number): string | undefined;
  centerOn: { index: number; seq: number } | undefined;
}) {
  return (
    <div className="compare-canvas">
      <GraphCanvas {...props} overlay="none" />
    </div>
  );
}

function describe(view: ViewGraph, i: number, status: Readonly<Record<string, DiffStatus>>): string {
  const id = view.ids[i] ?? '';
  const st = status[id];
  const name = view.names[i];
  return `Selected ${view.titles[i] ?? ''}${name ? ` “${name}”` : ''}${st ? `: ${DIFF_LABELS[st]}` : ''}.`;
}

export function SideBySide({ diff, selection, onSelect }: { diff: ModelDiff; selection: CompareSelection; onSelect(side: DiffSide, id: string | null): void }) {
  const baseGraph = useStudio((s) => s.graph);
  const otherGraph = useStudio((s) => s.compare.graph);
  return (
    <div className="compare-graphs">
      <Pane side="base" title={diff.baseName} graph={baseGraph} status={diff.baseStatus} selectedId={selection.base} centre={selection.baseCentre} onSelect={onSelect} />
      <Pane side="other" title={diff.otherName} graph={otherGraph} status={diff.otherStatus} selectedId={selection.other} centre={selection.otherCentre} onSelect={onSelect} />
    </div>
  );
}

export function DiffLegend() {
  return (
    <ul className="diff-legend" aria-label="Diff colours">
      {(Object.keys(DIFF_COLORS) as DiffStatus[]).map((s) => (
        <li key={s}>
          <span className="swatch" style={{ background: DIFF_COLORS[s] }} aria-hidden="true" />
          {DIFF_LABELS[s]}
        </li>
      ))}
    </ul>
  );
}
