import { useStudio } from '../../store';
import { openSample } from '../../actions';
import { formatCount } from '../../format';

/** The bundled sample models (public/samples/manifest.json), one button each. */
export function SamplePicker({ compact = false }: { compact?: boolean }) {
  const samples = useStudio((s) => s.samples);
  if (samples.length === 0) return null;
  if (compact) {
    return (
      <label className="sample-select">
        <span className="visually-hidden">Open a sample model</span>
        <select
          aria-label="Open a sample model"
          value=""
          onChange={(e) => {
            const s = samples.find((x) => x.id === e.currentTarget.value);
            if (s) openSample(s);
          }}
        >
          <option value="">Samples…</option>
          {samples.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <ul className="sample-list" aria-label="Sample models">
      {samples.map((s) => (
        <li key={s.id}>
          <button type="button" className="sample-card" onClick={() => openSample(s)}>
            <strong>{s.title}</strong>
            <span>{s.description}</span>
            <span className="muted">
              {s.parameters !== undefined ? `${formatCount(s.parameters)} parameters` : ''}
              {s.testAccuracy !== undefined ? ` · ${(s.testAccuracy * (s.testAccuracy <= 1 ? 100 : 1)).toFixed(1)}% test accuracy` : ''}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
