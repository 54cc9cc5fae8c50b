package tdisp.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an output was made: the setup facts every CSV and text output carries, in one order, so
 * a pasted table cannot mislead (an injected fault, a --set override, a cost table other than
 * the built-in one all show). Deterministic by construction: it holds only inputs and the
 * build's identity, never wall time or thread counts (those go to a run-info sidecar).
 *
 * <p>Rendered two ways from the same facts: a text setup block ("setup:" lines, wrapped to the
 * report's 72 columns) and CSV comment lines ("# key: value") that a Commons CSV reader with
 * {@code setCommentMarker('#')} skips.
 */
public record Provenance(List<Fact> facts) {
    /** One setup fact; the key is a short lower-case word, the value free text on one line. */
    public record Fact(String key, String value) {
        public Fact {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.isEmpty() || !key.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("bad provenance key: " + key);
            // one line each: a newline would end the CSV comment and let the rest parse as a record
            value = value.replace('\r', ' ').replace('\n', ' ');
        }
    }

    public Provenance {
        facts = List.copyOf(facts);
    }

    /** Starts with the build's identity: harness version, commit, JDK. */
    public static Builder builder() {
        return new Builder()
                .add("harness", HarnessVersion.banner())
                .add("commit", HarnessVersion.commit())
                .add("jdk", System.getProperty("java.vendor", "?") + " " + System.getProperty("java.version", "?"));
    }

    /** The value of the first fact with this key, or null. */
    public String get(String key) {
        for (Fact f : facts) if (f.key().equals(key)) return f.value();
        return null;
    }

    /** The text setup block: one "setup: key value" line a fact, continuation lines indented. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Fact f : facts) sb.append(String.format("setup: %-9s %s%n", f.key(), f.value()));
        return Columns.wrap(sb.toString());
    }

    /** The same facts as CSV comment lines ("# key: value"), each ending in '\n'. */
    public String csvComment() {
        StringBuilder sb = new StringBuilder();
        for (Fact f : facts) sb.append("# ").append(f.key()).append(": ").append(f.value()).append('\n');
        return sb.toString();
    }

    /** Collects facts in the order they are added; an empty list value is written as "none". */
    public static final class Builder {
        private final List<Fact> facts = new ArrayList<>();

        public Builder add(String key, String value) {
            facts.add(new Fact(key, value));
            return this;
        }

        public Builder add(String key, long value) { return add(key, Long.toString(value)); }

        public Builder add(String key, List<String> values) {
            return add(key, values.isEmpty() ? "none" : String.join(", ", values));
        }

        public Provenance build() { return new Provenance(facts); }
    }
}
