/**
 * What every output shares, below the renderers: the 72-column text layout
 * ({@link tdisp.output.Columns}), the one CSV dialect ({@link tdisp.output.Csv}) and the
 * build's identity ({@link tdisp.output.HarnessVersion}). Imports no other tdisp package, so
 * any package may use it: the explorer's replay files and the cost table's reader do, without
 * depending on {@code tdisp.report}.
 */
package tdisp.output;
