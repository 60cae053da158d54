/**
 * The Pareto front of a set of measured models (issue 6, "Decide"): the models no other model beats on
 * both axes at once — for the Accuracy vs latency chart, cost = median latency (minimised) and value =
 * accuracy or cosine similarity (maximised).
 *
 * Definition: a point A dominates B when cost(A) ≤ cost(B) and value(A) ≥ value(B), one of the two
 * strictly. The front is the set of points no point dominates. Two points with equal cost and value do
 * not dominate each other, so both stay on the front. Points with a NaN coordinate are not measured and
 * are never on it (an Infinity cost is a real, if useless, measurement and compares as usual).
 *
 * Speedup against the original is a decreasing function of latency (original median / median), so the
 * front is the same whichever of the two the chart puts on its x axis.
 *
 * Sweep: sort by cost ascending (then value descending); walking that order, a point is on the front
 * exactly when its value beats every value seen so far — O(n log n).
 */

export interface ParetoPoint {
  readonly id: string;
  /** Minimised (latency in ms). */
  readonly cost: number;
  /** Maximised (accuracy, cosine). */
  readonly value: number;
}

/** Ids of the non-dominated points, by ascending cost (the order in which the front is drawn). */
export function paretoFront(points: readonly ParetoPoint[]): string[] {
  const measured = points.filter((p) => !Number.isNaN(p.cost) && !Number.isNaN(p.value));
  const order = [...measured].sort((a, b) => a.cost - b.cost || b.value - a.value);
  const front: ParetoPoint[] = [];
  let best = -Infinity;
  for (const p of order) {
    const last = front[front.length - 1];
    if (last === undefined || p.value > best || (p.cost === last.cost && p.value === last.value)) {
      front.push(p);
      best = Math.max(best, p.value);
    }
  }
  return front.map((p) => p.id);
}

/** Whether `a` dominates `b` (see the file comment); exported for tests and for tooltips. */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  return a.cost <= b.cost && a.value >= b.value && (a.cost < b.cost || a.value > b.value);
}
