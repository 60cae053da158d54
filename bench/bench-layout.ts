/**
 * `npm run bench:layout`: how long it takes to turn a model scope into a drawable graph (buildViewGraph)
 * and to lay it out — our layered layout (src/core/layout) against @dagrejs/dagre 3 and elkjs 0.12
 * (layered algorithm, elk.bundled.js) on the same ViewGraphs: the light/ structures and models of the
 * corpus, and generated networks of 1,000 / 5,000 / 20,000 nodes (src/core/layout/generate.ts).
 *
 * Ours runs in this process: one warm-up, then the best of 3. Each library run happens in a child
 * process (`--child <lib> <case>`) with a time limit, so a hang or an out-of-memory cannot block the
 * table; a library that exceeds the limit is not run on larger graphs. In the child: best of 3 when a
 * run takes under 2 s, else one run (its first run includes JIT warm-up, a few hundred ms at most).
 *
 * Options: --limit=<seconds> (default 60), --only=<substring> (cases whose name contains it),
 * --libs=dagre,elk (which libraries), --no-libs (ours only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dagre from '@dagrejs/dagre';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { onnx } from '../src/core/onnx/codec';
import { decodeModelProto } from '../src/core/onnx/codec';
import { buildGraph } from '../src/core/graph/build-graph';
import { inferShapesIR } from '../src/core/shape/infer-shapes';
import { computeStatsIR } from '../src/core/stats/compute-stats';
import { buildViewGraph } from '../src/core/graph-view/build-view-graph';
import type { ViewGraph } from '../src/core/graph-view/types';
import { generateNetwork } from '../src/core/layout/generate';
import { layoutGraph } from '../src/core/layout/layout-graph';
import { layoutViolations } from '../src/core/layout/layout-invariants';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const corpus = resolve(root, '../shared/corpus');
const GENERATED = [1_000, 5_000, 20_000];
const SEED = 1;

type Lib = 'dagre' | 'elk';

/** A case id: 'gen:5000' or a corpus-relative path. */
function loadModel(id: string): onnx.IModelProto {
  if (id.startsWith('gen:')) return generateNetwork(Number(id.slice(4)), SEED);
  return decodeModelProto(new Uint8Array(readFileSync(resolve(corpus, id))));
}

function viewOf(model: onnx.IModelProto): { view: ViewGraph; viewMs: number } {
  const ir = buildGraph(model);
  const shapes = inferShapesIR(ir);
  const stats = computeStatsIR(ir, shapes);
  const viewMs = best(3, () => buildViewGraph(ir, shapes, stats, ''));
  return { view: buildViewGraph(ir, shapes, stats, ''), viewMs };
}

/** Best of `runs` timed runs after one warm-up. */
function best(runs: number, fn: () => unknown): number {
  fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

// ── the libraries, as their documentation says to call them ────────────────────────────────────────

function runDagre(v: ViewGraph): void {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 40, edgesep: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (let i = 0; i < v.nodeCount; i++) g.setNode(String(i), { width: v.widths[i] as number, height: v.heights[i] as number });
  for (let e = 0; e < v.edgeCount; e++) g.setEdge(String(v.edgeFrom[e]), String(v.edgeTo[e]), {}, String(e));
  dagre.layout(g);
}

async function runElk(v: ViewGraph): Promise<void> {
  const elk = new ELK();
  await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
    },
    children: Array.from({ length: v.nodeCount }, (_, i) => ({ id: String(i), width: v.widths[i] as number, height: v.heights[i] as number })),
    edges: Array.from({ length: v.edgeCount }, (_, e) => ({ id: `e${e}`, sources: [String(v.edgeFrom[e])], targets: [String(v.edgeTo[e])] })),
  });
}

async function child(lib: Lib, id: string): Promise<void> {
  const { view } = viewOf(loadModel(id));
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    if (lib === 'dagre') runDagre(view);
    else await runElk(view);
    return performance.now() - t0;
  };
  let ms = await once();
  if (ms < 2000) for (let i = 0; i < 2; i++) ms = Math.min(ms, await once());
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
}

type LibResult = { ms: number } | { skipped: string };

function runChild(lib: Lib, id: string, limitS: number): LibResult {
  // Both libraries recurse along paths of the graph: with V8's default stack dagre overflows ("Maximum
  // call stack size exceeded") on the 5,000-node network (≈4,400 ranks) and elkjs on the 20,000-node
  // one, as they would in a browser. They get a larger stack here (within the 8 MB thread stack) so
  // that their times can be measured at all.
  const flags = ['--max-old-space-size=4096', '--stack-size=7000'];
  const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', lib, id], {
    cwd: root,
    timeout: limitS * 1000,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { skipped: `>${limitS} s` };
  if (r.status !== 0) {
    const error = (r.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? 'failed';
    console.error(`  ${lib} on ${id}: ${r.signal ? `killed (${r.signal})` : error.trim()}`);
    return { skipped: r.signal ? 'killed' : error.includes('call stack') ? 'stack overflow' : 'failed' };
  }
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { ms: (JSON.parse(line) as { ms: number }).ms };
  } catch {
    return { skipped: 'no result' };
  }
}

// ── the table ──────────────────────────────────────────────────────────────────────────────────────

function cases(only: string | undefined): { name: string; id: string }[] {
  const list: { name: string; id: string }[] = [];
  const add = (dir: string): void => {
    const full = resolve(corpus, dir);
    if (!existsSync(full)) return;
    for (const f of readdirSync(full).filter((x) => x.endsWith('.onnx')).sort()) list.push({ name: f.replace(/\.onnx$/, ''), id: `${dir}/${f}` });
  };
  add('onnx-backend-tests/light');
  add('models');
  if (list.length === 0) console.log(`(corpus not found at ${corpus}: generated graphs only)`);
  for (const n of GENERATED) list.push({ name: `generated ${n.toLocaleString('en-US')}`, id: `gen:${n}` });
  return only ? list.filter((c) => c.name.includes(only) || c.id.includes(only)) : list;
}

const fmt = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

function cell(r: LibResult | undefined, ours: number): [string, string] {
  if (!r) return ['—', ''];
  if ('skipped' in r) return [r.skipped, ''];
  return [fmt(r.ms), `${(r.ms / ours).toFixed(0)}×`];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1] as Lib, args[2] as string);
    return;
  }
  const limitS = Number(args.find((a) => a.startsWith('--limit='))?.slice(8) ?? 60);
  const only = args.find((a) => a.startsWith('--only='))?.slice(7);
  const libList = (args.find((a) => a.startsWith('--libs='))?.slice(7).split(',') ?? ['dagre', 'elk']) as Lib[];
  const libs = !args.includes('--no-libs');
  console.log(`Layout benchmark (node ${process.version}; ours best of 3 after warm-up; libraries in child processes, limit ${limitS} s)`);
  const header = ['graph', 'nodes', 'edges', 'view ms', 'ours ms', 'dummies', 'dagre ms', 'dagre/ours', 'elk ms', 'elk/ours', 'valid'];
  const widths = [26, 7, 7, 8, 8, 8, 10, 10, 10, 9, 6];
  const row = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' ');
  console.log(row(header));
  // Once a library exceeds the limit, larger graphs are not tried with it.
  const gaveUpAt: Record<Lib, number> = { dagre: Infinity, elk: Infinity };
  const phaseRows: string[] = [];
  for (const c of cases(only)) {
    const { view, viewMs } = viewOf(loadModel(c.id));
    let layout = layoutGraph(view);
    const ours = best(3, () => (layout = layoutGraph(view)));
    const problems = layoutViolations(view, layout);
    const results: Partial<Record<Lib, LibResult>> = {};
    if (libs) {
      for (const lib of libList) {
        if (view.nodeCount >= gaveUpAt[lib]) {
          results[lib] = { skipped: 'skipped' };
          continue;
        }
        const r = runChild(lib, c.id, limitS);
        if ('skipped' in r) gaveUpAt[lib] = Math.min(gaveUpAt[lib], view.nodeCount);
        results[lib] = r;
      }
    }
    const [dMs, dRatio] = cell(results.dagre, ours);
    const [eMs, eRatio] = cell(results.elk, ours);
    console.log(
      row([c.name.slice(0, 26), String(view.nodeCount), String(view.edgeCount), fmt(viewMs), fmt(ours), String(layout.stats.counts?.dummies ?? ''), dMs, dRatio, eMs, eRatio, problems.length === 0 ? 'yes' : `NO (${problems.length})`]),
    );
    if (problems.length > 0) console.log(`  ${problems.slice(0, 3).join('\n  ')}`);
    if (view.nodeCount >= 1000) {
      const phases = Object.entries(layout.stats.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
      phaseRows.push(`${c.name}: ${phases}; ranks ${layout.stats.counts?.ranks}, crossings ${layout.stats.counts?.crossings}, sweeps ${layout.stats.counts?.sweeps}`);
    }
  }
  console.log('\nOur phases (ms, last run):');
  for (const r of phaseRows) console.log(`  ${r}`);
}

await main();
