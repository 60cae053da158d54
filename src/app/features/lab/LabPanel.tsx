/**
 * The Benchmark tab (issue 6: "Benchmark", "Accuracy", "Decide" — the chart —, "Export the report"):
 * settings and models on the left, results on the right. The work runs in the bench worker; the page
 * stays responsive and Cancel restarts only that worker.
 */
import { JobProgress as Progress } from '../../components/JobProgress';
import { useEffect } from 'react';
import { useStudio } from '../../store';
import { ErrorMessage } from '../../components/ErrorBanner';
import { useLab } from './lab-store';
import { cancelLab, dismissLabError, exportChart, exportChartPng, exportReport, measureAccuracy, runBenchmark, syncLabWithModel } from './lab-actions';
import { LabModelChoice, LabSettingsForm } from './LabSettings';
import { AccuracyData } from './AccuracyData';
import { BenchResults } from './BenchResults';
import { AccuracyResults } from './AccuracyResults';
import { CHART_ID, TradeoffChart } from './TradeoffChart';
import { WhySection } from './why/WhySection';
import { TuneSection } from './tune/TuneSection';
import { useTune } from './tune/tune-store';
import { LabSideBySide } from './compare/LabSideBySide';

function JobProgress() {
  const job = useLab((s) => s.job);
  if (!job) return null;
  return <Progress job={job} label={job.kind === 'bench' ? 'Benchmarking' : 'Measuring accuracy'} onCancel={cancelLab} />;
}

function ExportBar() {
  const ready = useLab((s) => s.summary !== null && s.job === null);
  const hasChart = useLab((s) => (s.summary?.pareto.points.length ?? 0) > 0);
  return (
    <div className="lab-export" role="group" aria-label="Export the report">
      <button type="button" className="button" disabled={!ready} onClick={() => exportReport('markdown')}>
        Export Markdown
      </button>
      <button type="button" className="button" disabled={!ready} onClick={() => exportReport('json')}>
        Export JSON
      </button>
      <button type="button" className="button" disabled={!ready} onClick={() => exportReport('csv')}>
        Export CSV
      </button>
      <button type="button" className="button" disabled={!ready || !hasChart} onClick={() => exportChart(document.getElementById(CHART_ID))}>
        Export chart
      </button>
      <button type="button" className="button" disabled={!ready || !hasChart} onClick={() => void exportChartPng(document.getElementById(CHART_ID))}>
        Export chart (PNG)
      </button>
    </div>
  );
}

export function LabPanel() {
  const modelSource = useStudio((s) => s.modelSource);
  // The benchmark and auto-tune share the bench worker and the machine: one job at a time.
  const labRunning = useLab((s) => s.job !== null);
  const tuning = useTune((s) => s.job !== null);
  const running = labRunning || tuning;
  const error = useLab((s) => s.error);
  const fileName = useStudio((s) => s.model?.fileName ?? '');
  // Results belong to one original: another model clears them.
  useEffect(() => {
    syncLabWithModel();
  }, [modelSource]);

  return (
    <section className="lab" aria-label="Benchmark">
      <div className="optimize-head">
        <h2>Benchmark</h2>
        <p className="muted">
          Latency and accuracy of <span className="mono">{fileName}</span> and its variants in onnxruntime-web (WebAssembly, in a worker), measured interleaved — A B A B … — so machine drift lands on every model alike.
        </p>
      </div>
      <div className="lab-body">
        <div className="lab-form panel">
          <LabModelChoice />
          <LabSettingsForm />
          <AccuracyData />
          <div className="optimize-actions">
            <button type="button" className="button primary" disabled={running} onClick={() => void runBenchmark()}>
              Run benchmark
            </button>
            <button type="button" className="button" disabled={running} onClick={() => void measureAccuracy()}>
              Measure accuracy
            </button>
          </div>
          <JobProgress />
          {error && <ErrorMessage error={error} onDismiss={dismissLabError} />}
        </div>
        <div className="lab-output">
          <TradeoffChart />
          <BenchResults />
          <AccuracyResults />
          <ExportBar />
          <WhySection />
          <LabSideBySide />
          <TuneSection />
        </div>
      </div>
    </section>
  );
}
