import type { QuantParams, WeightDetails } from '../../../core/inspect/types';
import { formatBytes, formatCount } from '../../format';
import { formatList, formatPercent, formatStat } from './format-value';
import { WeightHistogram } from './WeightHistogram';

const KIND_LABEL: Record<WeightDetails['kind'], string> = {
  initializer: 'initializer',
  'sparse-initializer': 'sparse initializer',
  constant: 'Constant node',
};

function QuantFacts({ quant }: { quant: QuantParams }) {
  return (
    <>
      <h5>Quantization{quant.source ? ` (${quant.source})` : ''}</h5>
      <dl className="facts">
        <dt>Scale</dt>
        <dd className="mono">{quant.scale.length > 0 ? formatList(quant.scale, quant.count) : 'applied after the op'}</dd>
        <dt>Zero point</dt>
        <dd className="mono">{formatList(quant.zeroPoint, quant.zeroPoint.length < 64 ? quant.zeroPoint.length : quant.count)}</dd>
        <dt>Granularity</dt>
        <dd>
          {quant.axis === null ? 'per tensor' : quant.blockSize ? `blocks of ${quant.blockSize} along axis ${quant.axis}` : `per axis ${quant.axis}`}
          {quant.count > 1 && ` (${formatCount(quant.count)} scales)`}
        </dd>
        <dt>Dequantized range</dt>
        <dd className="mono">
          {formatStat(quant.dequantMin)} … {formatStat(quant.dequantMax)}
        </dd>
      </dl>
      {quant.note && <p className="muted small">{quant.note}</p>}
    </>
  );
}

/** One weight read by the node: type, size, value statistics, histogram, quantization. */
export function WeightBlock({ port, weight }: { port: string; weight: WeightDetails }) {
  const s = weight.stats;
  return (
    <section className="weight-block" aria-label={`Weight ${weight.name}`}>
      <h4>
        <span className="tag">{port}</span>
        <span className="mono break">{weight.name}</span>
      </h4>
      <dl className="facts">
        <dt>Type</dt>
        <dd className="mono">
          {weight.dtype} · {weight.shape.length === 0 ? 'scalar' : weight.shape.join(' × ')}
        </dd>
        <dt>Size</dt>
        <dd>
          {formatCount(weight.elements)} elements · {formatBytes(weight.bytes)}
        </dd>
        <dt>Stored as</dt>
        <dd>
          {KIND_LABEL[weight.kind]}
          {weight.via && weight.via.length > 0 && ` (read through ${weight.via.join(' → ')})`}
        </dd>
        {s && (
          <>
            <dt>Min / max</dt>
            <dd className="mono">
              {formatStat(s.min)} / {formatStat(s.max)}
            </dd>
            <dt>Mean / std</dt>
            <dd className="mono">
              {formatStat(s.mean)} / {formatStat(s.std)}
            </dd>
            <dt>Sparsity</dt>
            <dd>{formatPercent(s.sparsity)} zeros</dd>
            {(s.nan > 0 || s.inf > 0) && (
              <>
                <dt>Non-finite</dt>
                <dd>
                  {formatCount(s.nan)} NaN · {formatCount(s.inf)} ±Inf
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {!s && <p className="muted small">Values not readable here (strings, or external data that was not supplied).</p>}
      {weight.histogram && weight.histogram.counts.length > 0 && <WeightHistogram name={weight.name} histogram={weight.histogram} />}
      {weight.quant && <QuantFacts quant={weight.quant} />}
    </section>
  );
}
