package dev.openshell.api.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.json.DurationJson;
import dev.openshell.api.validation.DurationText;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A filter on the decision log ({@code GET /api/v1/decisions}); every part is optional and they
 * combine with "and".
 *
 * @param sandbox the sandbox name
 * @param since only decisions this recent ({@code 5m})
 * @param binary the calling executable, exactly
 * @param host the destination host, exactly
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionQuery(
        String sandbox,
        Verdict verdict,

        @JsonSerialize(using = DurationJson.Writer.class) @JsonDeserialize(using = DurationJson.Reader.class)
        Duration since,

        String binary,
        String host) {

    public static final DecisionQuery ALL = new DecisionQuery(null, null, null, null, null);

    public static DecisionQuery forSandbox(String sandbox) {
        return new DecisionQuery(sandbox, null, null, null, null);
    }

    public DecisionQuery withVerdict(Verdict verdict) {
        return new DecisionQuery(sandbox, verdict, since, binary, host);
    }

    public DecisionQuery withSince(
            @JsonSerialize(using = DurationJson.Writer.class) @JsonDeserialize(using = DurationJson.Reader.class)
                    Duration since) {
        return new DecisionQuery(sandbox, verdict, since, binary, host);
    }

    /** The query parameters, named as the fields are. */
    public Map<String, String> toQuery() {
        Map<String, String> q = new LinkedHashMap<>();
        put(q, "sandbox", sandbox);
        put(q, "verdict", verdict == null ? null : verdict.wire());
        put(q, "since", since == null ? null : DurationText.format(since));
        put(q, "binary", binary);
        put(q, "host", host);
        return q;
    }

    private static void put(Map<String, String> q, String key, String value) {
        if (value != null) {
            q.put(key, value);
        }
    }
}
