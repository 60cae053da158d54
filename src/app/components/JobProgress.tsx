/** A running job's stage, a progressbar named for what it does ("Optimizing", "Benchmarking" …) and Cancel. */
export function JobProgress({ job, label, onCancel }: { job: { readonly stage: string; readonly done: number; readonly total: number }; label: string; onCancel(): void }) {
  const known = job.total > 0;
  return (
    <div className="load-progress" role="status" aria-live="polite">
      <span>{job.stage}</span>
      <progress aria-label={label} max={known ? job.total : undefined} value={known ? job.done : undefined} />
      {known && (
        <span className="muted">
          {job.done} / {job.total}
        </span>
      )}
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
