package tdisp.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file through a temporary sibling and a rename, so readers never see half of it. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes several files as one unit: every content goes to a temporary file first, and
     * only when all are written are they renamed into place.
     */
    public static void writeAll(java.util.Map<Path, String> files) throws IOException {
        java.util.Map<Path, Path> temps = new java.util.LinkedHashMap<>();
        try {
            for (var e : files.entrySet()) {
                Path dir = e.getKey().toAbsolutePath().getParent();
                try {
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, "." + e.getKey().getFileName(), ".tmp");
                    temps.put(e.getKey(), tmp);
                    Files.writeString(tmp, e.getValue(), StandardCharsets.UTF_8);
                } catch (IOException ex) {
                    throw new IOException("cannot write " + e.getKey() + ": " + reason(ex), ex);
                }
            }
            for (var e : temps.entrySet()) {
                if (Files.isDirectory(e.getKey())) throw new IOException("cannot write " + e.getKey() + ": is a directory");
            }
            for (var e : temps.entrySet()) move(e.getValue(), e.getKey());
        } finally {
            for (Path tmp : temps.values()) Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) return "a path component is not a directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public static void write(Path target, String content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
