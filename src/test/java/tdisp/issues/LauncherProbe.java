package tdisp.issues;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The program Issue25LauncherTest's fake build puts in the jar: it starts, waits for a file,
 * then loads a class it has not touched yet from its jar, as tdisp does when a command
 * reaches code it had not needed before.
 */
public final class LauncherProbe {
    private LauncherProbe() {}

    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[0]);
        System.out.println("started");
        System.out.flush();
        for (int i = 0; i < 6000 && !Files.exists(go); i++) Thread.sleep(10);
        System.out.println(Late.message());
    }

    /** Loaded only after the wait. */
    static final class Late {
        private Late() {}

        static String message() { return "late class loaded"; }
    }
}
