package tdisp.referee;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a recording (the format of the recorder/referee contract): {@code # key: value}
 * provenance, {@code # task tN: comm}, {@code @ marker}, and {@code tN <2 spaces per
 * level>name}. The one parser of these files; anything it does not recognise fails with
 * file:line, so a hand-edited or truncated recording is never read as agreeing.
 *
 * <p>The {@code # filter:} value is a list of names separated by spaces or commas; a filter
 * longer than a line is given on several {@code # filter:} lines, whose names add up.
 */
public final class KernelTraceParser {
    public static final int WIDTH = 72;
    private static final Pattern KEY = Pattern.compile("# ([a-z][a-z0-9-]*): ?(.*)");
    private static final Pattern TASK = Pattern.compile("# task (t[1-9][0-9]*): (.+)");
    private static final Pattern CALL = Pattern.compile("(t[1-9][0-9]*) ((?:  )*)([A-Za-z_][A-Za-z0-9_.]*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_*][A-Za-z0-9_.*]*");

    private KernelTraceParser() {}

    public static KernelTrace parse(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        }
    }

    public static KernelTrace parse(Reader reader, String source) throws IOException {
        Map<String, String> prov = new LinkedHashMap<>();
        Set<String> filter = new LinkedHashSet<>();
        Map<String, String> tasks = new LinkedHashMap<>();
        List<KernelTrace.Line> lines = new ArrayList<>();
        Map<String, List<String>> open = new HashMap<>();
        BufferedReader in = new BufferedReader(reader);
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            String where = source + ":" + n + ": ";
            if (line.codePointCount(0, line.length()) > WIDTH) throw new TraceFormatException(where + "longer than " + WIDTH + " columns");
            if (line.isBlank()) continue;
            Matcher m;
            if ((m = TASK.matcher(line)).matches()) {
                String tag = m.group(1);
                if (tasks.containsKey(tag)) throw new TraceFormatException(where + "task " + tag + " declared twice");
                if (!tag.equals("t" + (tasks.size() + 1))) throw new TraceFormatException(where + "task " + tag + " out of order (want t" + (tasks.size() + 1) + ")");
                tasks.put(tag, m.group(2).strip());
            } else if ((m = KEY.matcher(line)).matches()) {
                String key = m.group(1);
                String value = m.group(2).strip();
                if (key.equals("filter")) {
                    for (String name : value.split("[\\s,]+")) {
                        if (name.isEmpty()) continue;
                        if (!NAME.matcher(name).matches()) throw new TraceFormatException(where + "filter name '" + name + "' is not a function name or glob");
                        filter.add(name);
                    }
                }
                // A long value continues on a line with the same key; a digest split so is one word.
                prov.merge(key, value, (a, b) -> a + (key.endsWith("-sha256") ? "" : " ") + b);
            } else if (line.startsWith("@ ")) {
                String text = line.substring(2).strip();
                if (text.isEmpty()) throw new TraceFormatException(where + "empty marker");
                lines.add(new KernelTrace.Marker(n, text));
            } else if ((m = CALL.matcher(line)).matches()) {
                String tag = m.group(1);
                if (!tasks.containsKey(tag)) throw new TraceFormatException(where + "task " + tag + " has no '# task " + tag + ":' line");
                int depth = m.group(2).length() / 2;
                List<String> stack = open.computeIfAbsent(tag, k -> new ArrayList<>());
                if (depth > stack.size()) {
                    throw new TraceFormatException(where + "nested " + depth + " deep under " + stack.size() + " open call(s) of " + tag);
                }
                while (stack.size() > depth) stack.remove(stack.size() - 1);
                lines.add(new KernelTrace.Call(n, tag, m.group(3), stack));
                stack.add(m.group(3));
            } else {
                throw new TraceFormatException(where + "not a provenance line, task line, '@ marker' or 'tN name': '" + line.strip() + "'");
            }
        }
        if (filter.isEmpty()) throw new TraceFormatException(source + ": no '# filter:' line (the names the recording can show)");
        KernelTrace trace = new KernelTrace(source, prov, filter, tasks, lines);
        for (KernelTrace.Line l : lines) {
            if (l instanceof KernelTrace.Call c && !trace.shows(c.name())) {
                throw new TraceFormatException(source + ":" + c.lineNo() + ": " + c.name() + " is not in the '# filter:' names");
            }
        }
        return trace;
    }
}
