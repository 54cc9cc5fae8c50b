package tdisp.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Every file a command reads is checked here before a parser opens it: it must be a regular
 * file (after symlinks) of a bounded size. A character device such as /dev/zero never ends
 * (the parsers' readAllBytes ran out of heap) and a FIFO blocks the open until a writer
 * comes; both are bad input, named in one line, and nothing is read.
 */
final class InputFiles {
    private InputFiles() {}

    /** Far above any descriptor, cost table, replay file or results CSV the harness writes. */
    static final long MAX_BYTES = 64L << 20;

    /** {@code what}: how the user named it, e.g. "--costs" or "replay file". */
    static void check(Path file, String what) {
        if (Files.isDirectory(file)) throw new UsageException(what + " " + file + ": is a directory, not a file");
        if (!Files.exists(file)) {
            throw new UsageException(what + " " + file + (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                    ? ": dangling symbolic link" : ": no such file"));
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(what + " " + file + ": not a regular file (a device, FIFO or socket); give a file");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) throw new UsageException(what + " " + file + ": " + size + " bytes; at most " + MAX_BYTES + " are read");
        } catch (IOException e) {
            throw new UsageException(what + " " + file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The *.desc entries of a descriptor directory, each checked as {@link #check} does (the directory's own errors are the catalog's). */
    static void checkDescriptors(Path dir, String what) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".desc")).sorted().toList()) {
                if (Files.exists(p)) check(p, what);
            }
        } catch (IOException e) {
            throw new UsageException(what + " " + dir + ": cannot list (" + e.getClass().getSimpleName() + ")");
        }
    }
}
