/**
 * The vocabulary source check (issue #20 point 1, issue #22 point 5): every name the traces
 * print, looked up at its definition in a kernel tree. {@link tdisp.vocab.DefinitionIndex}
 * scans a tree once and records every definition site of every vocabulary name;
 * {@link tdisp.vocab.SourceCheck} holds each vocabulary row against that index. The rules
 * (what counts as a definition, per kind) are in those two classes and in
 * results/kernel/README.md, section "Vocabulary source check".
 */
package tdisp.vocab;
