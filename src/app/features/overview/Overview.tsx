import { useStudio } from '../../store';
import { downloadModel } from '../../actions';
import { KeyFacts } from './KeyFacts';
import { TensorTable } from './TensorTable';
import { OperatorTable } from './OperatorTable';
import { WeightsByDtype } from './WeightsByDtype';
import { CompatPanel } from './CompatPanel';
import { IssuesPanel } from './IssuesPanel';
import { ModelDetails } from './ModelDetails';

/** Everything the studio knows about the open model at a glance. */
export function Overview() {
  const model = useStudio((s) => s.model);
  if (!model) return null;
  const { summary, fileName, warnings } = model;
  const title = summary.graphName || fileName;
  return (
    <section className="overview" aria-label="Overview">
      <div className="overview-head">
        <div>
          <h2>{title}</h2>
          <p className="muted">
            <span className="mono">{fileName}</span>
            {summary.producer.name && (
              <>
                {' '}
                · made by {summary.producer.name} {summary.producer.version}
              </>
            )}
          </p>
          {summary.docString && <p className="doc">{summary.docString}</p>}
        </div>
        <button type="button" className="button" onClick={() => void downloadModel()}>
          Download model
        </button>
      </div>
      {warnings.length > 0 && (
        <ul className="banner notice issue-list" aria-label="Warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <KeyFacts summary={summary} />
      <div className="grid-2">
        <div className="panel">
          <h3 id="inputs-title">Inputs</h3>
          <TensorTable labelledBy="inputs-title" tensors={summary.inputs} />
          <h3 id="outputs-title" style={{ marginTop: 16 }}>
            Outputs
          </h3>
          <TensorTable labelledBy="outputs-title" tensors={summary.outputs} />
        </div>
        <CompatPanel />
      </div>
      <div className="grid-2">
        <OperatorTable summary={summary} />
        <WeightsByDtype summary={summary} />
      </div>
      <IssuesPanel issues={summary.issues} />
      <ModelDetails summary={summary} />
    </section>
  );
}
