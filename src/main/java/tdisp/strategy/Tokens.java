package tdisp.strategy;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Token helpers shared by the knob enums: parse a lowercase token, list the allowed ones. */
final class Tokens {
    private Tokens() {}

    static <E extends Enum<E>> List<String> of(E[] values, Function<E, String> token) {
        return Arrays.stream(values).map(token).toList();
    }

    static <E extends Enum<E>> E parse(String text, E[] values, Function<E, String> token) {
        if (text != null) {
            for (E e : values) {
                if (token.apply(e).equals(text)) return e;
            }
        }
        throw new StrategyException("'" + text + "' is not one of " + String.join("|", of(values, token)));
    }

    static boolean parseOnOff(String text) {
        if ("on".equals(text)) return true;
        if ("off".equals(text)) return false;
        throw new StrategyException("'" + text + "' is not one of on|off");
    }

    static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
