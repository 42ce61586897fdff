package dev.openshell.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How a command prints its result: human text, or a document for scripts. */
public enum OutputFormat {
    TABLE,
    JSON,
    YAML;

    /** The spelling on the command line. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Converts {@code table|json|yaml}. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : values()) {
                if (f.spelling().equals(value.toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of " + names());
        }
    }

    /** The spellings, for help and shell completion. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(OutputFormat::spelling).iterator();
        }
    }

    static String names() {
        return Arrays.stream(values()).map(OutputFormat::spelling).collect(Collectors.joining(", "));
    }
}
