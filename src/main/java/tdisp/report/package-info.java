/**
 * Every renderer of every output (issue 12, part 4): CSV, text and the setup block of each
 * result, with each result's columns declared once ({@link tdisp.report.Column}) and
 * {@link tdisp.report.Provenance} at the head of every file. May import the model and result
 * packages (scenario, sweep, explore, calibrate, cost) and {@code tdisp.output}; none of them
 * imports it back, and only {@code tdisp.cli} uses it (PackageRulesTest).
 */
package tdisp.report;
