package tdisp.strategy;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one {@code strategies/<id>.desc} file. Format (UTF-8): {@code key = value} lines;
 * {@code #} starts a comment (whole line or trailing, so values cannot contain it); blank
 * lines ignored. Header keys {@code id} (= file name without {@code .desc}), {@code title},
 * {@code source} (repeatable, at least one); then every {@link Knob} (the two per-message
 * entries default to {@code guest-request.entry}).
 *
 * <p>Every error is one line naming the file as given ({@code file.toString()}) and, for a
 * line error, the 1-based line: {@code strategies/x.desc:7: bind.entry: 'kvmm' is not one of
 * kvm|iommufd|vfio}. Line errors are reported in file order, then missing header keys,
 * an id that does not match the file name, missing knobs, and cross-knob rules.
 */
public final class StrategyParser {
    /** The header keys, in the order they conventionally appear. */
    public static final List<String> HEADER_KEYS = List.of("id", "title", "source");

    /**
     * Strategy ids: a letter or digit, then letters, digits, '.', '_' or '-', at most 64.
     * No ',' (lists of ids are comma-separated), no '=' or spaces (--set and file names),
     * and unique ignoring case across a catalog (file systems that fold case).
     */
    public static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private StrategyParser() {}

    public static Strategy parse(Path file) {
        String name = file.toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StrategyException(name + ": cannot read: no such file", e);
        } catch (CharacterCodingException e) {
            throw new StrategyException(name + ": cannot read: not valid UTF-8", e);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new StrategyException(name + ": cannot read: " + why, e);
        }

        String id = null;
        String title = null;
        List<String> sources = new ArrayList<>();
        Map<Knob, String> knobs = new EnumMap<>(Knob.class);
        Map<String, Integer> firstLine = new HashMap<>();

        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
            int ctl = firstControl(line);
            if (ctl >= 0) throw at(name, lineNo, String.format("control character U+%04X in column %d", (int) line.charAt(ctl), ctl + 1));
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            if (key.isEmpty() || value.isEmpty()) throw at(name, lineNo, "expected 'key = value'");

            Knob knob = Knob.find(key).orElse(null);
            if (knob == null && !HEADER_KEYS.contains(key)) {
                throw at(name, lineNo, "unknown key '" + key + "' (known: " + Knob.knownKeys() + ", "
                        + String.join(", ", HEADER_KEYS) + ")");
            }
            if (!key.equals("source")) {
                Integer first = firstLine.putIfAbsent(key, lineNo);
                if (first != null) throw at(name, lineNo, "duplicate key '" + key + "' (first on line " + first + ")");
            }
            switch (key) {
                case "id" -> id = value;
                case "title" -> title = value;
                case "source" -> sources.add(value);
                default -> {
                    if (!knob.allowed().contains(value)) {
                        throw at(name, lineNo, knob.key() + ": '" + value + "' is not one of " + knob.allowedText());
                    }
                    knobs.put(knob, value);
                }
            }
        }

        if (id == null) throw whole(name, "missing key 'id'");
        if (!ID.matcher(id).matches()) {
            throw at(name, firstLine.get("id"), "id '" + id + "': use letters, digits, '.', '_' and '-' (first a letter or digit, at most 64)");
        }
        if (title == null) throw whole(name, "missing key 'title'");
        if (sources.isEmpty()) throw whole(name, "missing key 'source' (at least one)");
        String fileName = file.getFileName() == null ? name : file.getFileName().toString();
        if (!fileName.equals(id + ".desc")) {
            throw whole(name, "id '" + id + "' does not match file name '" + fileName + "'");
        }
        Knobs k;
        try {
            k = Knobs.of(knobs);
            k.validate();
        } catch (StrategyException e) {
            throw whole(name, e.getMessage());
        }
        return new Strategy(id, title, sources, file, k);
    }

    private static int firstControl(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) return i;
        }
        return -1;
    }

    private static StrategyException at(String file, int line, String what) {
        return new StrategyException(file + ":" + line + ": " + what);
    }

    private static StrategyException whole(String file, String what) {
        return new StrategyException(file + ": " + what);
    }
}
