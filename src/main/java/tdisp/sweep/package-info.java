/**
 * Contention and scale (issue 3, part 4): boot-time bring-up of many TDISP devices over
 * modeled time. {@link tdisp.sweep.BringUp} turns one real run of the model into a
 * per-device {@link tdisp.sweep.Recipe} of (resource, duration) segments charged from the
 * cost table; {@link tdisp.sweep.BootSim} queues N devices on the global firmware server
 * and per-VM VMM servers; {@link tdisp.sweep.Sweep} runs the points and the cost-row
 * sensitivity pass; {@link tdisp.report.SweepReport} writes sweep.csv and sweep.txt;
 * {@code tdisp.cli.SweepCommand} is {@code tdisp sweep}.
 */
package tdisp.sweep;
