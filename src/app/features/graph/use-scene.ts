/**
 * The Scene (boxes, spatial indexes, bounds) of a laid-out graph, built in a few tasks after the
 * layout arrives instead of inside React's render: each step is short, so a 20,000-node graph never
 * produces one long main-thread task. Null until it is ready (a frame or two).
 */
import { useEffect, useState } from 'react';
import type { GraphLayout, ViewGraph } from '../../../core/graph-view/types';
import { sceneSteps } from './scene';
import type { Scene } from './scene';

export function useScene(view: ViewGraph, layout: GraphLayout): Scene | null {
  const [built, setBuilt] = useState<Scene | null>(null);
  useEffect(() => {
    if (layout.x.length < view.nodeCount) return;
    const steps = sceneSteps(view, layout);
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const step = (): void => {
      if (cancelled) return;
      const r = steps.next();
      if (r.done) setBuilt(r.value);
      else timer = setTimeout(step, 0);
    };
    timer = setTimeout(step, 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [view, layout]);
  return built && built.view === view && built.layout === layout ? built : null;
}
