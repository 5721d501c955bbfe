package org.bfabench.harness.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bfabench.spi.BenchException;

/** Parses durations as people type them: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 500ms}, or ISO-8601 {@code PT10M}. */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String option, String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        if (s.startsWith("p")) {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw bad(option, text);
            }
        } else {
            Matcher m = PART.matcher(s);
            d = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                end = m.end();
            }
            if (end == 0 || end != s.length()) {
                throw bad(option, text);
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new BenchException(option + " " + text + ": the duration must be positive");
        }
        return d;
    }

    private static BenchException bad(String option, String text) {
        return new BenchException(option + " '" + text + "': not a duration; write e.g. 90s, 10m, 1h30m or PT10M");
    }
}
