package tdisp.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;

/** The type converters Main registers once for every command. */
final class Converters {
    private Converters() {}

    static void register(CommandLine cl) {
        // Options name their converter themselves (so a bare `new CommandLine(cmd)` in a test
        // parses alike); registering them here covers any option that does not.
        cl.registerConverter(Duration.class, new DurationConverter());
        cl.registerConverter(Platform.class, new PlatformConverter());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    /** The one duration syntax: a number and ms, s, m or h ("500ms", "1.5s", "2m"); "0" = none. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String s = value.strip().toLowerCase(Locale.ROOT);
            if (s.equals("0")) return Duration.ZERO;
            Matcher m = DURATION.matcher(s);
            if (m.matches()) {
                double v = Double.parseDouble(m.group(1));
                double ms = v * switch (m.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1_000;
                    case "m" -> 60_000;
                    default -> 3_600_000;
                };
                if (ms < 1e12) return Duration.ofMillis(Math.round(ms));
            }
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 1.5s, 2m, 1h; 0 = none)");
        }
    }

    /** Platform ids, checked against the platforms the model implements. */
    static final class PlatformConverter implements ITypeConverter<Platform> {
        @Override
        public Platform convert(String value) {
            for (Platform p : Platforms.all()) if (p.id().equals(value)) return p;
            throw new TypeConversionException("unknown platform '" + value + "' (known: " + String.join(", ", PlatformIds.ids()) + ")");
        }
    }

    /** Completion candidates and help text for --platform: the registry's ids. */
    static final class PlatformIds implements Iterable<String> {
        static List<String> ids() { return Platforms.all().stream().map(Platform::id).toList(); }

        @Override
        public Iterator<String> iterator() { return ids().iterator(); }
    }

    /** --progress: auto, bar, lines or none ("0", the old "no progress lines", means none). */
    static final class ProgressModeConverter implements ITypeConverter<Progress.Mode> {
        @Override
        public Progress.Mode convert(String value) {
            if (value.equals("0")) return Progress.Mode.NONE;
            for (Progress.Mode m : Progress.Mode.values()) if (m.name().equalsIgnoreCase(value)) return m;
            throw new TypeConversionException("'" + value + "' is not one of auto, bar, lines, none");
        }
    }

    /** Lower-case completion candidates of an enum (what --help lists). */
    static List<String> lower(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> e : values) out.add(e.name().toLowerCase(Locale.ROOT));
        return out;
    }

    static final class ModeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() { return lower(tdisp.explore.Explorer.Mode.values()).iterator(); }
    }
}
