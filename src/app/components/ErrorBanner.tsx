import { useStudio } from '../store';
import type { ShownError } from '../store';
import { dismissError, dismissNotice } from '../actions';

/** A bad input or failure: what it is, what is wrong, what to do. role="alert" so it is announced. */
export function ErrorMessage({ error, onDismiss }: { error: ShownError; onDismiss?: () => void }) {
  return (
    <div className="banner error" role="alert">
      <div>
        <strong>{error.title}</strong>
        {error.file && <span className="muted"> — {error.file}</span>}
        <p>{error.message}</p>
        {error.hint && <p className="hint">{error.hint}</p>}
      </div>
      {onDismiss && (
        <button type="button" className="button" aria-label="Dismiss error" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}

/** The page-wide error: the last file that could not be opened. */
export function ErrorBanner() {
  const error = useStudio((s) => s.error);
  if (!error) return null;
  return <ErrorMessage error={error} onDismiss={dismissError} />;
}

export function NoticeBanner() {
  const notice = useStudio((s) => s.notice);
  if (!notice) return null;
  return (
    <div className="banner notice" role="status">
      <span>{notice}</span>
      <button type="button" className="button" aria-label="Dismiss notice" onClick={dismissNotice}>
        ×
      </button>
    </div>
  );
}
