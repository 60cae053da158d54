/**
 * Dev-only page for the graph view: renders GraphPanel against the real store, fed either by a real
 * model (through the workers, like the app) or by a fake laid-out graph of any size, and offers a
 * draw-time measurement of the renderer for the report. Served by `vite` at
 * /src/app/features/graph/dev/index.html; never part of the production build.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../../styles.css';
import { useStudio, emptyGraph } from '../../../store';
import type { ModelHandle } from '../../../../worker/protocol';
import { openFiles } from '../../../actions';
import { GraphPanel } from '../GraphPanel';
import { fakeGraph } from './fake-graph';
import { buildScene } from '../scene';
import { cachedNodePaint } from '../node-paint';
import { GraphRenderer } from '../graph-renderer';
import { centreOn } from '../viewport';

/**
 * Generates a fake graph (a long task of the dev page itself, standing in for the workers), then — in
 * a later task, as a worker reply would arrive — puts it in the store.
 */
async function showFake(nodes: number, chains: number): Promise<void> {
  const t0 = performance.now();
  const { view, layout } = fakeGraph(nodes, { chains, seed: 7, subgraphEvery: 97 });
  const model = { modelId: `fake-${nodes}-${chains}`, fileName: `fake-${nodes}.onnx`, summary: {}, warnings: [] } as unknown as ModelHandle;
  await new Promise((r) => setTimeout(r, 50));
  performance.mark('graph:layout');
  useStudio.setState({
    model,
    selection: null,
    graph: { ...emptyGraph, status: 'ready', modelId: model.modelId, view, layout, timings: { viewMs: performance.now() - t0, layoutMs: 0 } },
  });
}

export interface DrawMeasurement {
  readonly zoom: number;
  readonly mode: string;
  readonly level: number;
  readonly nodes: number;
  readonly edges: number;
  /** Median and max over the frames, including a forced raster (1-pixel readback). */
  readonly medianMs: number;
  readonly maxMs: number;
}

/**
 * Times GraphRenderer.draw() at several zooms, panning a little between frames, for a fake graph of
 * `nodes` nodes in `chains` chains — or, with nodes = 0, for the graph the page shows now.
 */
async function measure(nodes: number, chains: number, zooms: readonly number[], frames = 30): Promise<DrawMeasurement[]> {
  const shown = useStudio.getState().graph;
  const { view, layout } = nodes === 0 && shown.view && shown.layout ? { view: shown.view, layout: shown.layout } : fakeGraph(nodes, { chains, seed: 7 });
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'position:fixed;left:0;top:0;width:1280px;height:800px;visibility:hidden';
  document.body.appendChild(canvas);
  const renderer = new GraphRenderer(canvas, null);
  renderer.resize(1280, 800, 1);
  const scene = buildScene(view, layout);
  renderer.setScene(scene);
  renderer.setPaint(cachedNodePaint(view, 'op'));
  // Let the overview bitmap finish (it is time-sliced).
  await new Promise((r) => setTimeout(r, 2500));
  const ctx = canvas.getContext('2d');
  const out: DrawMeasurement[] = [];
  const cx = (scene.bounds.x0 + scene.bounds.x1) / 2;
  const cy = (scene.bounds.y0 + scene.bounds.y1) / 2;
  for (const zoom of zooms) {
    const times: number[] = [];
    for (let f = 0; f < frames; f++) {
      renderer.setCamera(centreOn(renderer.camera, cx + f * 7, cy + f * 11, 1280, 800, zoom));
      const t0 = performance.now();
      renderer.draw();
      ctx?.getImageData(0, 0, 1, 1);
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 0));
    }
    times.sort((a, b) => a - b);
    const last = renderer.lastFrame;
    out.push({
      zoom,
      mode: last?.mode ?? '?',
      level: last?.level ?? -1,
      nodes: last?.nodes ?? 0,
      edges: last?.edges ?? 0,
      medianMs: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 100) / 100,
      maxMs: Math.round((times[times.length - 1] ?? 0) * 100) / 100,
    });
  }
  renderer.destroy();
  canvas.remove();
  return out;
}

declare global {
  interface Window {
    graphDev?: { showFake: typeof showFake; measure: typeof measure };
  }
}
window.graphDev = { showFake, measure };

function DevPage() {
  return (
    <div className="app">
      <header className="topbar">
        <h1>Graph view — dev page</h1>
        <div className="topbar-actions">
          <input type="file" aria-label="Open model file" accept=".onnx" onChange={(e) => openFiles([...(e.target.files ?? [])])} />
          {[1000, 5000, 20000].map((n) => (
            <button key={n} type="button" className="button" onClick={() => void showFake(n, n >= 5000 ? 8 : 2)}>
              Fake {n.toLocaleString('en-US')}
            </button>
          ))}
        </div>
      </header>
      <main className="wide">
        <GraphPanel />
      </main>
    </div>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <DevPage />
    </StrictMode>,
  );
}
