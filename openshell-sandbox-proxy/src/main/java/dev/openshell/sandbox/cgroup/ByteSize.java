package dev.openshell.sandbox.cgroup;

import dev.openshell.api.ErrorCode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them: {@code 512m}, {@code 2G}, {@code 1.5g}, {@code 64MiB}, or bytes. */
public final class ByteSize {

    private static final Pattern SIZE =
            Pattern.compile("(\\d{1,15})(?:\\.(\\d{1,3}))?\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "kmgt";

    private ByteSize() {}

    /** Parses {@code text} (binary units: {@code 1k} = 1024); {@code what} names it in the error. */
    public static long parse(String text, String what) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new CgroupException(
                    ErrorCode.RESOURCES_INVALID, what + ": '" + text + "' is not a size (e.g. 512m, 2g, 1073741824)");
        }
        int shift = m.group(3) == null ? 0 : 10 * (UNITS.indexOf(m.group(3).toLowerCase(Locale.ROOT)) + 1);
        double value = Double.parseDouble(m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)));
        double bytes = value * (1L << shift);
        if (bytes >= Long.MAX_VALUE / 2) {
            throw new CgroupException(ErrorCode.RESOURCES_INVALID, what + ": '" + text + "' is too large");
        }
        return (long) bytes;
    }

    /** {@code bytes} in the largest binary unit that keeps it readable: {@code 512 MiB}, {@code 1.5 GiB}. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String number =
                value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + units[unit];
    }
}
