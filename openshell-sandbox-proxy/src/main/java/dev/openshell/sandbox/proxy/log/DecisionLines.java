package dev.openshell.sandbox.proxy.log;

import dev.openshell.sandbox.json.SandboxJson;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JsonGenerator;

/**
 * Writes a {@link DecisionRecord} as one JSON object on one line, with Jackson's streaming
 * generator (this runs for every decision). Field names follow OCSF loosely: {@code time}
 * (ISO-8601 UTC), {@code sandbox}, {@code binary}, {@code pid}, {@code host}, {@code port}, {@code
 * method}, {@code path}, {@code verdict}, {@code layer}, {@code policy}, {@code rule}, {@code
 * reason}, {@code generation}, {@code latency_us}, {@code mode}. Null strings and a pid of 0 or less
 * (caller unknown) are omitted. Hostile text (a request path, a host name) can never break the
 * line: control characters, DEL and U+2028/2029 are escaped, lone surrogates become U+FFFD.
 */
public final class DecisionLines {

    private DecisionLines() {}

    /** Writes the record's line, without the line break, to {@code out} (left open). */
    public static void write(DecisionRecord r, OutputStream out) {
        try (JsonGenerator g = SandboxJson.generator(out)) {
            g.writeStartObject();
            if (r.time() != null) {
                g.writeStringProperty("time", DateTimeFormatter.ISO_INSTANT.format(r.time()));
            }
            string(g, "sandbox", r.sandbox());
            string(g, "binary", r.binary());
            if (r.pid() > 0) {
                g.writeNumberProperty("pid", r.pid());
            }
            string(g, "host", r.host());
            g.writeNumberProperty("port", r.port());
            string(g, "method", r.method());
            string(g, "path", r.path());
            string(g, "verdict", r.verdict());
            string(g, "layer", r.layer());
            string(g, "policy", r.policy());
            string(g, "rule", r.rule());
            string(g, "reason", r.reason());
            g.writeNumberProperty("generation", r.generation());
            g.writeNumberProperty("latency_us", r.latencyMicros());
            string(g, "mode", r.mode());
            g.writeEndObject();
        }
    }

    /** The record's line as text, without the line break. */
    public static String toJson(DecisionRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(r, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void string(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.writeStringProperty(name, SandboxJson.wellFormed(value));
        }
    }
}
