/** Number formats of the Benchmark tab: the same functions the exported reports use. */
export { db, ms, pct, sci, signed, times } from '../../../core/report/number-format';
