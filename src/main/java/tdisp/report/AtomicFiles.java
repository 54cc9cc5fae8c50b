package tdisp.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import tdisp.output.HarnessVersion;

/**
 * Commits all outputs of one command as one unit: the output directory itself. Every file
 * is written into a staging directory beside it; the staging directory then replaces the
 * output directory by rename (a symlink --out is followed: the directory it names is the
 * one replaced, and the link keeps naming it), so a
 * reader sees the old set or the new set, never a mix, and no file of an earlier run is
 * left beside the new ones. A directory is only replaced when it is empty or carries the
 * {@value #MARKER} file an earlier commit left; anything else is refused before work
 * starts. Files are created with the process umask.
 */
public final class AtomicFiles {
    /** Marks a directory as a tdisp output (holds the command and harness version that wrote it). */
    public static final String MARKER = ".tdisp-output";

    private static final Set<Path> STAGING = new LinkedHashSet<>();

    private AtomicFiles() {}

    /** An output directory that cannot be used: bad input (the --out argument). */
    public static final class OutputDirException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputDirException(String message) { super(message, null, false, false); }
    }

    /**
     * Checks, before any work, that {@code dir} can be committed to: its parent can be
     * created and written, and {@code dir} is absent, empty or an earlier tdisp output.
     */
    public static void checkWritable(Path dir) {
        Path abs = resolve(dir);
        Path parent = abs.getParent();
        if (parent == null) throw new OutputDirException("--out " + dir + ": cannot replace the root directory");
        if (Path.of("").toAbsolutePath().normalize().startsWith(abs)) {
            throw new OutputDirException("--out " + dir + ": is the working directory or holds it; give a directory of its own");
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new OutputDirException("--out " + dir + ": cannot create " + parent + ": " + reason(e));
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) throw new OutputDirException("--out " + dir + ": not a directory");
        if (Files.isDirectory(abs) && !Files.exists(abs.resolve(MARKER))) {
            try (Stream<Path> s = Files.list(abs)) {
                if (s.findAny().isPresent()) {
                    throw new OutputDirException("--out " + dir + ": holds files tdisp did not write (no " + MARKER
                            + "); give a new or empty directory");
                }
            } catch (IOException e) {
                throw new OutputDirException("--out " + dir + ": cannot list: " + reason(e));
            }
        }
        Path probe = parent.resolve("." + abs.getFileName() + ".tdisp-probe-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new OutputDirException("--out " + dir + ": cannot write in " + parent + ": " + reason(e));
        }
    }

    /**
     * Writes {@code files} (paths relative to {@code dir}, '/'-separated) and the marker
     * into a staging directory and puts it in place of {@code dir} in one step.
     *
     * @param unit the command that wrote the set (recorded in the marker)
     */
    public static void commit(Path dir, String unit, Map<String, String> files) throws IOException {
        checkWritable(dir);
        Path abs = resolve(dir);
        Path parent = abs.getParent();
        String name = abs.getFileName().toString();
        Path stage = parent.resolve("." + name + ".tdisp-new-" + suffix());
        register(stage);
        try {
            Files.createDirectory(stage);
            for (var e : files.entrySet()) {
                Path target = stage.resolve(e.getKey()).normalize();
                if (!target.startsWith(stage) || target.equals(stage)) throw new IllegalArgumentException("output path escapes: " + e.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
            }
            Files.writeString(stage.resolve(MARKER), unit + "\n" + HarnessVersion.banner() + "\n", StandardCharsets.UTF_8);
            synchronized (STAGING) {
                if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(stage, abs, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Path old = parent.resolve("." + name + ".tdisp-old-" + suffix());
                    register(old);
                    Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(stage, abs, StandardCopyOption.ATOMIC_MOVE);
                    deleteTree(old);
                    unregister(old);
                }
            }
        } catch (FileSystemException e) {
            throw new IOException("cannot write " + dir + ": " + reason(e), e);
        } finally {
            deleteTree(stage);
            unregister(stage);
        }
    }

    /**
     * The directory a commit replaces: --out itself, or the directory a symlink --out names
     * (followed to the end), so the files land where the link points and the link stays.
     */
    static Path resolve(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isSymbolicLink(abs)) return abs;
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            throw new OutputDirException("--out " + dir + ": a symbolic link to nothing (" + reason(e) + "); give a directory");
        }
    }

    /** Removes every staging directory of this process (a signal arrived mid-run). */
    public static void abandonStaging() {
        synchronized (STAGING) {
            for (Path p : List.copyOf(STAGING)) {
                try {
                    deleteTree(p);
                } catch (IOException e) {
                    // best effort: the process is ending
                }
            }
            STAGING.clear();
        }
    }

    private static void register(Path p) { synchronized (STAGING) { STAGING.add(p); } }

    private static void unregister(Path p) { synchronized (STAGING) { STAGING.remove(p); } }

    private static String suffix() { return ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()); }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) return "a path component is not a directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
