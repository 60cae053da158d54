/**
 * validateModel: structural checks a user can act on, as values (never throws).
 *
 * Mirrors the parts of onnx.checker that matter before handing a model to a runtime: every input
 * must be defined (IR spec: names are defined before use, subgraphs may use outer values), each
 * name is written once (SSA), the graph is acyclic, and every node's domain is imported.
 */
import type { onnx } from '../onnx/codec.js';
import { toNumber } from '../onnx/codec.js';
import { buildGraph } from './build-graph.js';
import type { GraphIR, IRNode, Scope } from './ir.js';
import {
  DEFAULT_DOMAIN,
  MAX_TOLERATED_DEFAULT_OPSET,
  SUSPICIOUS_OPSET_VERSION,
  displayDomain,
} from './opsets.js';

export type ValidationCode =
  | 'missing-graph'
  | 'missing-op-type'
  | 'dangling-input'
  | 'dangling-output'
  | 'duplicate-output'
  | 'cycle'
  | 'unsorted-nodes'
  | 'unknown-domain'
  | 'unknown-opset-version'
  | 'suspicious-opset-version'
  | 'missing-ir-version';

export interface ValidationIssue {
  readonly code: ValidationCode;
  readonly severity: 'error' | 'warning';
  /** One readable sentence naming the node and tensor involved. */
  readonly message: string;
  readonly nodeId?: string;
}

/** Issues found at most this many times per code are listed one by one; the rest are summarised. */
const MAX_PER_CODE = 50;

export function validateModel(model: onnx.IModelProto): ValidationIssue[] {
  return validateGraphIR(buildGraph(model));
}

/** How a node is named in messages: its name if it has one, else its op type and position. */
export function describeNode(node: IRNode): string {
  const where = node.scope.path ? ` in subgraph ${node.scope.path}` : '';
  return node.name ? `${node.opType} node '${node.name}'${where}` : `${node.opType || 'unnamed'} node #${node.index}${where}`;
}

export function validateGraphIR(ir: GraphIR): ValidationIssue[] {
  const issues = new IssueList();
  const model = ir.model;
  if (!model.irVersion || toNumber(model.irVersion) === 0) {
    issues.add({ code: 'missing-ir-version', severity: 'warning', message: 'The model does not declare an IR version; runtimes may refuse it.' });
  }
  if (!ir.root) {
    issues.add({ code: 'missing-graph', severity: 'error', message: 'The model has no graph: there is nothing to run.' });
    return issues.list();
  }
  for (const scope of ir.scopes) checkScope(scope, issues);
  checkOpsets(ir, issues);
  return issues.list();
}

function checkScope(scope: Scope, issues: IssueList): void {
  const where = scope.path ? ` (subgraph ${scope.path})` : '';
  const visible = (name: string): boolean => {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.producer.has(name) || s.initializers.has(name) || s.sparseInitializers.has(name) || s.inputSet.has(name)) return true;
    }
    return false;
  };
  for (const node of scope.nodes) {
    if (!node.opType) {
      issues.add({ code: 'missing-op-type', severity: 'error', message: `Node #${node.index}${where} has no op_type.`, nodeId: node.id });
    }
    node.inputs.forEach((inp, k) => {
      if (inp && !visible(inp)) {
        issues.add({
          code: 'dangling-input',
          severity: 'error',
          message: `${describeNode(node)} reads '${inp}' (input ${k}), but no node, graph input or initializer provides it.`,
          nodeId: node.id,
        });
      }
    });
  }
  for (const d of scope.duplicates) {
    const first = d.first.kind === 'node' ? describeNode(d.first.node) : d.first.kind === 'input' ? 'a graph input' : 'an initializer';
    issues.add({
      code: 'duplicate-output',
      severity: 'error',
      message: `${describeNode(d.node)} writes '${d.name}', which ${first} already defines; every tensor name must have exactly one producer.`,
      nodeId: d.node.id,
    });
  }
  for (const out of scope.outputs) {
    if (out && !visible(out)) {
      issues.add({ code: 'dangling-output', severity: 'error', message: `Graph output '${out}'${where} is not produced by any node, input or initializer.` });
    }
  }
  if (scope.cyclic.length > 0) {
    const names = scope.cyclic.slice(0, 5).map(describeNode).join(', ');
    const more = scope.cyclic.length > 5 ? ` and ${scope.cyclic.length - 5} more` : '';
    issues.add({
      code: 'cycle',
      severity: 'error',
      message: `The graph${where} has a cycle: ${names}${more} depend on their own outputs.`,
      nodeId: scope.cyclic[0]?.id,
    });
  } else {
    // The IR spec requires nodes in topological order; ORT sorts on load, onnx.checker refuses.
    const misplaced = scope.order.findIndex((n, i) => n.index !== i);
    if (misplaced >= 0) {
      const node = scope.nodes[misplaced] as IRNode;
      issues.add({
        code: 'unsorted-nodes',
        severity: 'warning',
        message: `Nodes${where} are not in topological order (first at ${describeNode(node)}); ONNX Runtime accepts this, onnx.checker does not.`,
        nodeId: node.id,
      });
    }
  }
}

function checkOpsets(ir: GraphIR, issues: IssueList): void {
  const functions = new Set((ir.model.functions ?? []).map((f) => `${f.domain ?? ''}::${f.name ?? ''}`));
  const reportedDomains = new Set<string>();
  for (const node of ir.nodes) {
    if (ir.opsets.has(node.domain) || reportedDomains.has(node.domain)) continue;
    reportedDomains.add(node.domain);
    const isFunction = functions.has(`${node.proto.domain ?? ''}::${node.opType}`);
    issues.add({
      code: 'unknown-domain',
      severity: isFunction ? 'warning' : 'error',
      message: `${describeNode(node)} uses domain '${displayDomain(node.domain)}', which the model's opset_import does not list.`,
      nodeId: node.id,
    });
  }
  for (const [domain, version] of ir.opsets) {
    if (version > SUSPICIOUS_OPSET_VERSION) {
      issues.add({
        code: 'suspicious-opset-version',
        severity: 'warning',
        message: `Opset ${version} for domain '${displayDomain(domain)}' is far beyond any released version; the file may be damaged or hand-edited.`,
      });
    } else if (domain === DEFAULT_DOMAIN && version > MAX_TOLERATED_DEFAULT_OPSET) {
      issues.add({
        code: 'unknown-opset-version',
        severity: 'warning',
        message: `The model imports ai.onnx opset ${version}; this tool knows opsets up to ${MAX_TOLERATED_DEFAULT_OPSET}, so some operators may be treated as unknown.`,
      });
    }
  }
}

class IssueList {
  private readonly items: ValidationIssue[] = [];
  private readonly counts = new Map<ValidationCode, number>();

  add(issue: ValidationIssue): void {
    const n = (this.counts.get(issue.code) ?? 0) + 1;
    this.counts.set(issue.code, n);
    if (n <= MAX_PER_CODE) this.items.push(issue.nodeId === undefined ? { code: issue.code, severity: issue.severity, message: issue.message } : issue);
  }

  list(): ValidationIssue[] {
    const out = [...this.items];
    for (const [code, n] of this.counts) {
      if (n > MAX_PER_CODE) {
        const sample = this.items.find((i) => i.code === code);
        out.push({ code, severity: sample?.severity ?? 'warning', message: `…and ${n - MAX_PER_CODE} more '${code}' issues like the ones above.` });
      }
    }
    return out;
  }
}
