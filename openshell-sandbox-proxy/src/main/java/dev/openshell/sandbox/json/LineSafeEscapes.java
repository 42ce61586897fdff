package dev.openshell.sandbox.json;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;

/**
 * JSON's standard escapes plus DEL and the two Unicode line separators (U+2028, U+2029): the
 * proxy's logs are read line by line by tools that treat those as line ends (Python's {@code
 * splitlines}, JavaScript before ES2019), so a hostile request path must not be able to split one
 * record into two.
 */
final class LineSafeEscapes extends CharacterEscapes {

    private static final int[] ASCII = standardAsciiEscapesForJSON();
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

    static {
        ASCII[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return switch (ch) {
            case '\u2028' -> LINE_SEPARATOR;
            case '\u2029' -> PARAGRAPH_SEPARATOR;
            default -> null;
        };
    }
}
