package tdisp.output;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The harness version and commit (filtered into tdisp/version.properties at build time): named by every output. */
public final class HarnessVersion {
    private HarnessVersion() {}

    private static final Properties PROPS = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = HarnessVersion.class.getResourceAsStream("/tdisp/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // an unreadable version file leaves every field "unknown"
        }
        return p;
    }

    private static String prop(String key) {
        String v = PROPS.getProperty(key, "");
        // an unfiltered placeholder means the build had no such property (no .git, say)
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    /** e.g. "0.1.0-SNAPSHOT". */
    public static String get() { return prop("version"); }

    /** The abbreviated commit the jar was built from, "+dirty" when the tree had uncommitted changes, or "unknown". */
    public static String commit() {
        String c = prop("commit");
        return "true".equals(prop("dirty")) && !"unknown".equals(c) ? c + "+dirty" : c;
    }

    /** e.g. "tdisp-harness 0.1.0-SNAPSHOT". */
    public static String banner() { return "tdisp-harness " + get(); }
}
