/**
 * The graph explorer's main view: toolbar (Find node, Colour by, zoom, export), scope breadcrumb,
 * layout progress, and the canvas. Data comes from the store; work goes through graph-actions.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStudio } from '../../store';
import { enterScope, loadGraph, selectNode, setOverlay } from '../../graph-actions';
import { GraphCanvas } from './GraphCanvas';
import type { GraphCanvasHandle } from './GraphCanvas';
import { FindNode } from './FindNode';
import { OverlayLegend, OverlayPicker } from './OverlayPicker';
import { GraphStatus } from './GraphStatus';
import { ScopeBar } from './ScopeBar';
import { cachedNodePaint, overlayOptions } from './node-paint';
import { downloadBlob, exportBaseName, renderGraphPng, svgBlob } from './image-export';
import { warmUpFonts } from './draw-graph';

export function GraphPanel() {
  const model = useStudio((s) => s.model);
  const graph = useStudio((s) => s.graph);
  const selection = useStudio((s) => s.selection);
  const storedOverlay = useStudio((s) => s.overlay);
  const canvasRef = useRef<GraphCanvasHandle>(null);
  const [centre, setCentre] = useState<{ index: number; seq: number } | undefined>(undefined);
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const modelId = model?.modelId ?? null;
  useEffect(() => {
    // Idle while the workers lay the graph out: prepare the canvas fonts now.
    const t = setTimeout(warmUpFonts, 0);
    return () => clearTimeout(t);
  }, []);
  useEffect(() => {
    if (modelId !== null && graph.modelId !== modelId) void loadGraph('');
  }, [modelId, graph.modelId]);

  const { view, layout, status } = graph;
  const ready = status === 'ready' && view !== null && layout !== null;
  // An overlay the view does not offer (a metric of another model) falls back to op type.
  const overlay = overlayOptions(view).some((o) => o.id === storedOverlay) ? storedOverlay : 'op';
  const selectedIndex = selection && view && view.ids[selection.index] === selection.id ? selection.index : null;

  const choose = useCallback((index: number) => {
    setCentre((c) => ({ index, seq: (c?.seq ?? 0) + 1 }));
    void selectNode(index);
  }, []);
  const enter = useCallback(
    (index: number, attribute: string) => {
      const id = view?.ids[index];
      if (id !== undefined) enterScope(`${id}/${attribute}`);
    },
    [view],
  );

  const fileBase = exportBaseName(model?.fileName ?? 'graph', graph.scopePath);
  const exportFile = async (kind: 'SVG' | 'PNG'): Promise<void> => {
    const snap = canvasRef.current?.snapshot();
    if (!snap) return;
    setExporting(kind);
    setExportError(null);
    try {
      const blob = kind === 'SVG' ? await svgBlob(snap.scene, snap.paint, model?.fileName ?? 'graph') : await renderGraphPng(snap.scene, snap.paint);
      downloadBlob(blob, `${fileBase}.${kind.toLowerCase()}`);
    } catch (e) {
      setExportError(`Could not export the ${kind}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setExporting(null);
    }
  };

  return (
    <section className="graph-panel" aria-label="Model graph" data-node-count={view?.nodeCount}>
      <div className="graph-toolbar">
        <FindNode view={ready ? view : null} onChoose={choose} />
        <OverlayPicker view={view} overlay={overlay} onChange={setOverlay} />
        <div className="graph-buttons">
          <button type="button" className="button" disabled={!ready} onClick={() => canvasRef.current?.fit()}>
            Fit
          </button>
          <button type="button" className="button" disabled={!ready} onClick={() => canvasRef.current?.zoomIn()}>
            Zoom in
          </button>
          <button type="button" className="button" disabled={!ready} onClick={() => canvasRef.current?.zoomOut()}>
            Zoom out
          </button>
          {(['SVG', 'PNG'] as const).map((kind) => (
            <button key={kind} type="button" className="button" disabled={!ready || exporting !== null} onClick={() => void exportFile(kind)}>
              {exporting === kind ? `Exporting ${kind}…` : `Export ${kind}`}
            </button>
          ))}
        </div>
      </div>
      {view && <OverlayLegend legend={cachedNodePaint(view, overlay).legend} />}
      <ScopeBar view={view} scopePath={graph.scopePath} selectedIndex={selectedIndex} onScope={enterScope} onEnter={enter} />
      <GraphStatus graph={graph} />
      {exportError && (
        <p className="graph-status banner error" role="alert">
          {exportError}
        </p>
      )}
      <div className="graph-body">
        {ready ? (
          <GraphCanvas
            ref={canvasRef}
            view={view}
            layout={layout}
            label={`Graph of ${model?.fileName ?? 'the model'}${graph.scopePath ? `, subgraph ${graph.scopePath}` : ''}`}
            selectedIndex={selectedIndex}
            onSelect={(i) => void selectNode(i)}
            overlay={overlay}
            onEnterSubgraph={enter}
            centerOn={centre}
          />
        ) : (
          <div className="graph-placeholder">{status === 'idle' && !model ? 'Open a model to see its graph.' : null}</div>
        )}
      </div>
      {ready && graph.timings && (
        <p className="graph-footnote muted">
          {view.nodeCount.toLocaleString('en-US')} nodes, {view.edgeCount.toLocaleString('en-US')} edges · view built in {Math.round(graph.timings.viewMs)} ms, laid out in{' '}
          {Math.round(graph.timings.layoutMs)} ms ({layout.stats.algorithm}) on this machine, in web workers
        </p>
      )}
    </section>
  );
}
