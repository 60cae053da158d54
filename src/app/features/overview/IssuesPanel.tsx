import type { ValidationIssue } from '../../../core/graph/validate';

/** Validation findings (dangling inputs, duplicate outputs, cycles, unknown opsets). Hidden when there are none. */
export function IssuesPanel({ issues }: { issues: readonly ValidationIssue[] }) {
  if (issues.length === 0) return null;
  const errors = issues.filter((i) => i.severity === 'error').length;
  return (
    <section className="panel" aria-label="Validation">
      <h3>
        Validation: {errors} error{errors === 1 ? '' : 's'}, {issues.length - errors} warning{issues.length - errors === 1 ? '' : 's'}
      </h3>
      <ul className="issue-list">
        {issues.map((i, n) => (
          <li key={n} className={i.severity === 'error' ? 'sev-error' : 'sev-warning'}>
            {i.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
