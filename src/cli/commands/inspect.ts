/**
 * `studio inspect MODEL.onnx [--json] [--data FILE]…` — the Overview, in a terminal.
 *
 * With --json, stdout carries exactly one JSON object, the InspectReport (src/core/model/summary.ts),
 * so that scripts can pipe it; warnings go to stderr.
 */
import { parseArgs } from 'node:util';
import type { Result } from '../../core/errors.js';
import { err, ok } from '../../core/errors.js';
import { summarizeModel, toInspectReport } from '../../core/model/summary.js';
import { formatSummary } from '../format-summary.js';
import type { CliIo } from '../io.js';
import { CliFailure, EXIT_OK } from '../io.js';
import { readModel } from '../read-model.js';

export const INSPECT_USAGE = `Usage: npm run studio -- inspect MODEL.onnx [--json] [--data FILE ...]

Prints an overview of an ONNX model: producer, IR version, opsets, inputs and outputs, node count,
operator histogram, parameters and their size by type, MACs, and validation issues.

Options:
  --json        print exactly one JSON object (the InspectReport) on stdout
  --data FILE   an external data file of MODEL (repeatable); files named by the model's
                external-data locations are found next to MODEL automatically
  -h, --help    show this help`;

export function runInspect(args: readonly string[], io: CliIo): Result<number, CliFailure> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      data: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(INSPECT_USAGE);
    return ok(EXIT_OK);
  }
  if (positionals.length !== 1) return err(CliFailure.usage(positionals.length === 0 ? 'inspect needs a MODEL.onnx' : `inspect takes one model, got ${positionals.length}`, 'inspect'));
  const path = positionals[0] as string;

  const loaded = readModel(path, { dataPaths: values.data ?? [] });
  if (!loaded.ok) return loaded;
  const model = loaded.value;
  const summary = summarizeModel(model.proto, { fileBytes: model.fileBytes });

  for (const w of model.warnings) io.err(`warning: ${w}`);
  if (values.json) {
    io.out(JSON.stringify(toInspectReport(summary), null, 2));
  } else {
    let externalBytes = 0;
    for (const b of model.external.values()) externalBytes += b.byteLength;
    io.out(formatSummary(summary, { fileName: path, externalBytes }));
  }
  return ok(EXIT_OK);
}
