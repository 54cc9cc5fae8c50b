package tdisp.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The harness version (the pom's, filtered into tdisp/version.properties): named by every output. */
public final class HarnessVersion {
    private HarnessVersion() {}

    private static final String VERSION = load();

    private static String load() {
        try (InputStream in = HarnessVersion.class.getResourceAsStream("/tdisp/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** e.g. "0.1.0-SNAPSHOT". */
    public static String get() { return VERSION; }

    /** e.g. "tdisp-harness 0.1.0-SNAPSHOT". */
    public static String banner() { return "tdisp-harness " + VERSION; }
}
