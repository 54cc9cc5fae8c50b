package tdisp.strategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: writes descriptor files. */
final class Descriptors {
    private Descriptors() {}

    /** A complete, valid body for id {@code id} (iommufd-v5-like knobs), one key per line. */
    static String valid(String id) {
        return String.join("\n",
                "# test descriptor",                           // 1
                "id = " + id,                                  // 2
                "title = Test strategy",                       // 3
                "source = 20260525154816.1029642-1-aneesh.kumar@kernel.org", // 4
                "bind.entry = iommufd",                        // 5
                "guest-request.entry = iommufd",               // 6
                "vfio.bound-state = none",                     // 7
                "vfio.on-host-event = none",                   // 8
                "vmm.config-trap = on",                        // 9
                "iommufd.destroy-order = vdevice-first",       // 10
                "vfio.last-close = close-device-first",        // 11
                "");
    }

    static Path write(Path dir, String fileName, String body) {
        try {
            Path f = dir.resolve(fileName);
            Files.writeString(f, body, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the (unique) line starting with {@code prefix} by {@code replacement}. */
    static String replaceLine(String body, String prefix, String replacement) {
        StringBuilder out = new StringBuilder();
        int hits = 0;
        for (String line : body.split("\n", -1)) {
            if (line.startsWith(prefix)) {
                hits++;
                line = replacement;
            }
            out.append(line).append('\n');
        }
        if (hits != 1) throw new IllegalArgumentException("prefix '" + prefix + "' matched " + hits + " lines");
        return out.substring(0, out.length() - 1);
    }
}
