import { useStudio } from '../../store';
import { cancelLoading } from '../../actions';
import { formatBytes } from '../../format';

/** Progress of the current open, with Cancel. Subscribes to `loading` only. */
export function LoadProgress() {
  const loading = useStudio((s) => s.loading);
  if (!loading) return null;
  const { stage, done, total } = loading;
  const known = total > 0;
  return (
    <div className="load-progress" role="status" aria-live="polite">
      <span>{stage}</span>
      <progress
        aria-label="Loading model"
        max={known ? total : undefined}
        value={known ? done : undefined}
      />
      {known && (
        <span className="muted">
          {formatBytes(done)} of {formatBytes(total)}
        </span>
      )}
      <button type="button" className="button" onClick={cancelLoading}>
        Cancel
      </button>
    </div>
  );
}
