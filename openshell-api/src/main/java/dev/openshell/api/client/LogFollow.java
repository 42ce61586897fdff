package dev.openshell.api.client;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.sandbox.LogLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;

/**
 * A sandbox's log followed as Server-Sent Events ({@code GET .../logs} with {@code Accept:
 * text/event-stream}): {@link #forEach} hands over each line as it arrives until the gateway ends
 * the stream (the sandbox was deleted) or {@link #close()} is called from another thread.
 */
public final class LogFollow implements AutoCloseable {

    /** The longest event accepted; a gateway sending more is broken or hostile. */
    private static final int MAX_EVENT_CHARS = 1 << 20;

    private final InputStream body;
    private volatile boolean closed;

    LogFollow(InputStream body) {
        this.body = body;
    }

    /**
     * Reads events until the stream ends, giving each {@code line} event's log line to {@code
     * sink}; comments (heartbeats) and other events are skipped. Returns normally when the gateway
     * ends the stream or the follow is closed.
     */
    public void forEach(Consumer<LogLine> sink) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0 && (event == null || event.equals("line"))) {
                        sink.accept(parse(data.toString()));
                    }
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5));
                    if (data.length() > MAX_EVENT_CHARS) {
                        throw new ApiException(
                                ErrorCode.INTERNAL,
                                "the gateway sent a log event over " + MAX_EVENT_CHARS + " characters");
                    }
                }
                // ':' comments, id: and retry: need nothing here.
            }
        } catch (IOException e) {
            if (!closed) {
                throw new ApiException(
                        ErrorCode.GATEWAY_UNREACHABLE,
                        "the log stream from the gateway broke off: " + SafeText.oneLine(e.getMessage(), 200),
                        e);
            }
        }
    }

    private static LogLine parse(String json) {
        try {
            return ApiJson.lenient().readValue(json, LogLine.class);
        } catch (JacksonException e) {
            throw new ApiException(
                    ErrorCode.INTERNAL,
                    "the gateway sent a log event that is not a log line: "
                            + SafeText.oneLine(e.getOriginalMessage(), 200),
                    e);
        }
    }

    /** Stops following; a {@link #forEach} blocked in another thread returns. */
    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException e) {
            // nothing more to read either way
        }
    }
}
