package tdisp.cli;

import java.io.IOException;
import java.util.Collection;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/** JMH's output format with each benchmark point reported to a {@link Progress} as well. */
final class BenchProgress implements OutputFormat {
    private final OutputFormat jmh;
    private final Progress progress;

    BenchProgress(OutputFormat jmh, Progress progress) {
        this.jmh = jmh;
        this.progress = progress;
    }

    @Override
    public void startBenchmark(BenchmarkParams p) {
        jmh.startBenchmark(p);
        String name = p.getBenchmark();
        String cls = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1, name.lastIndexOf('.'));
        String strategy = p.getParam("strategy");
        progress.begin(cls + " " + (strategy == null ? "baseline" : strategy) + " " + p.getParam("platform"));
    }

    @Override
    public void endBenchmark(BenchmarkResult r) {
        jmh.endBenchmark(r);
        progress.step();
    }

    @Override
    public void iteration(BenchmarkParams b, IterationParams i, int n) { jmh.iteration(b, i, n); }

    @Override
    public void iterationResult(BenchmarkParams b, IterationParams i, int n, IterationResult r) { jmh.iterationResult(b, i, n, r); }

    @Override
    public void startRun() { jmh.startRun(); }

    @Override
    public void endRun(Collection<RunResult> r) { jmh.endRun(r); }

    @Override
    public void print(String s) { jmh.print(s); }

    @Override
    public void println(String s) { jmh.println(s); }

    @Override
    public void flush() { jmh.flush(); }

    @Override
    public void close() { jmh.close(); }

    @Override
    public void verbosePrintln(String s) { jmh.verbosePrintln(s); }

    @Override
    public void write(int b) { jmh.write(b); }

    @Override
    public void write(byte[] b) throws IOException { jmh.write(b); }
}
