/**
 * A laid-out graph on a <canvas>, reusable by the graph explorer, the inspector and the compare view.
 * React owns the props and the accessible wrapper; GraphRenderer owns drawing and the camera, so a
 * pan or zoom never re-renders React.
 */
import { useEffect, useId, useImperativeHandle, useLayoutEffect, useMemo, useRef } from 'react';
import type { KeyboardEvent, Ref } from 'react';
import type { GraphLayout, ViewGraph } from '../../../core/graph-view/types';
import { useScene } from './use-scene';
import type { Scene } from './scene';
import { cachedNodePaint, computeNodePaint } from './node-paint';
import type { NodePaint } from './node-paint';
import { GraphRenderer, OVERVIEW_MIN_NODES } from './graph-renderer';
import { attachMinimapControls, attachPointerControls } from './pointer-controls';
import { degree, navigate } from './graph-nav';
import type { NavDirection } from './graph-nav';
import { NodeKind } from './graph-kinds';

export interface GraphCanvasHandle {
  fit(): void;
  zoomIn(): void;
  zoomOut(): void;
  /** What is drawn now (for SVG/PNG export), or null before the first layout. */
  snapshot(): { scene: Scene; paint: NodePaint } | null;
}

export interface GraphCanvasProps {
  readonly view: ViewGraph;
  readonly layout: GraphLayout;
  /** Accessible name of the canvas region. */
  readonly label: string;
  readonly selectedIndex: number | null;
  onSelect(index: number | null): void;
  /** Overrides the overlay fill per node (compare view: added/removed/changed); undefined keeps the overlay colour. Keep it stable (useCallback). */
  readonly colorOf?: (index: number) => string | undefined;
  /** 'op' (default), 'none' or a ViewGraph.metrics key. */
  readonly overlay?: string;
  onEnterSubgraph?(index: number, attribute: string): void;
  /** Centres node `index` whenever `seq` changes. */
  readonly centerOn?: { readonly index: number; readonly seq: number };
  readonly ref?: Ref<GraphCanvasHandle>;
}

const ZOOM_STEP = 1.25;

const KEY_DIRECTIONS: Readonly<Record<string, NavDirection>> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

function describeNode(view: ViewGraph, scene: Scene, i: number): string {
  const title = view.titles[i] ?? '';
  const name = view.names[i] ?? '';
  const kind = view.kinds[i] === NodeKind.Input ? 'Graph input' : view.kinds[i] === NodeKind.Output ? 'Graph output' : 'Node';
  const d = degree(scene.nav, i);
  const subs = view.subgraphs[i] ?? [];
  const subText = subs.length ? ` Has subgraphs ${subs.join(', ')}: press Enter to open.` : '';
  return `${kind} ${title}${name ? ` “${name}”` : ''}: ${d.inputs} producer${d.inputs === 1 ? '' : 's'}, ${d.outputs} consumer${d.outputs === 1 ? '' : 's'}.${subText}`;
}

export function GraphCanvas({ view, layout, label, selectedIndex, onSelect, colorOf, overlay = 'op', onEnterSubgraph, centerOn, ref }: GraphCanvasProps) {
  const helpId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const minimapRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<GraphRenderer | null>(null);

  const scene = useScene(view, layout);
  const paint = useMemo(() => (colorOf ? computeNodePaint(view, overlay, colorOf) : cachedNodePaint(view, overlay)), [view, overlay, colorOf]);

  // The latest props for listeners attached once.
  const latest = useRef({ view, scene, onSelect, onEnterSubgraph });
  useLayoutEffect(() => {
    latest.current = { view, scene, onSelect, onEnterSubgraph };
  });

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const container = containerRef.current;
    if (!canvas || !container) return;
    const renderer = new GraphRenderer(canvas, minimapRef.current);
    rendererRef.current = renderer;
    const activate = (i: number): void => {
      const { view: v, onEnterSubgraph: enter } = latest.current;
      const attribute = v.subgraphs[i]?.[0];
      if (attribute !== undefined && enter) enter(i, attribute);
    };
    const detachPointer = attachPointerControls(canvas, renderer, {
      onSelect: (i) => latest.current.onSelect(i),
      onActivate: activate,
    });
    const detachMinimap = minimapRef.current ? attachMinimapControls(minimapRef.current, renderer) : () => undefined;
    const resize = (): void => {
      const r = container.getBoundingClientRect();
      renderer.resize(Math.round(r.width), Math.round(r.height), window.devicePixelRatio || 1);
    };
    const observer = new ResizeObserver(resize);
    observer.observe(container);
    resize();
    return () => {
      observer.disconnect();
      detachPointer();
      detachMinimap();
      renderer.destroy();
      rendererRef.current = null;
    };
  }, []);

  useLayoutEffect(() => {
    rendererRef.current?.setScene(scene);
  }, [scene]);
  useLayoutEffect(() => {
    rendererRef.current?.setPaint(paint);
  }, [paint]);
  useLayoutEffect(() => {
    rendererRef.current?.setSelected(selectedIndex);
  }, [selectedIndex, scene]);

  const centreSeq = centerOn?.seq;
  const centreIndex = centerOn?.index;
  useEffect(() => {
    if (centreSeq !== undefined && centreIndex !== undefined) rendererRef.current?.centreOnNode(centreIndex);
  }, [centreSeq, centreIndex]);

  useImperativeHandle(
    ref,
    () => ({
      fit: () => rendererRef.current?.fit(),
      zoomIn: () => rendererRef.current?.zoomBy(ZOOM_STEP),
      zoomOut: () => rendererRef.current?.zoomBy(1 / ZOOM_STEP),
      snapshot: () => (scene ? { scene, paint } : null),
    }),
    [scene, paint],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const renderer = rendererRef.current;
    if (!renderer || !scene || e.ctrlKey || e.metaKey || e.altKey) return;
    const direction = KEY_DIRECTIONS[e.key];
    if (direction) {
      e.preventDefault();
      const from = selectedIndex ?? -1;
      const next = from < 0 ? renderer.nodeNearestCentre() : navigate(scene.nav, from, direction);
      if (next !== null && next >= 0) {
        renderer.ensureNodeVisible(next);
        onSelect(next);
      }
      return;
    }
    switch (e.key) {
      case '+':
      case '=':
        renderer.zoomBy(ZOOM_STEP);
        break;
      case '-':
      case '_':
        renderer.zoomBy(1 / ZOOM_STEP);
        break;
      case '0':
        renderer.fit();
        break;
      case 'Enter': {
        const attribute = selectedIndex !== null ? view.subgraphs[selectedIndex]?.[0] : undefined;
        if (selectedIndex === null || attribute === undefined || !onEnterSubgraph) return;
        onEnterSubgraph(selectedIndex, attribute);
        break;
      }
      case 'Escape':
        if (selectedIndex === null) return;
        onSelect(null);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const announcement = scene && selectedIndex !== null && selectedIndex < view.nodeCount ? describeNode(view, scene, selectedIndex) : '';
  return (
    <div
      ref={containerRef}
      className="graph-canvas"
      role="application"
      aria-roledescription="graph"
      aria-label={label}
      aria-describedby={helpId}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <canvas ref={canvasRef} className="graph-canvas-surface" aria-hidden="true" />
      <canvas ref={minimapRef} className="graph-minimap" aria-hidden="true" hidden={view.nodeCount <= OVERVIEW_MIN_NODES} />
      <p id={helpId} className="visually-hidden">
        {view.nodeCount.toLocaleString('en-US')} nodes. Arrow keys move the selection: Down to a consumer, Up to a producer, Left and Right within a layer. Plus and
        minus zoom, 0 fits the whole graph, Enter opens a subgraph, Escape clears the selection. Drag to pan, scroll or pinch to zoom, click a node to select it.
      </p>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
