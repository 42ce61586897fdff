package dev.openshell.sandbox.proxy.deny;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.Decision;
import dev.openshell.policy.Layer;
import dev.openshell.policy.Verdict;
import org.junit.jupiter.api.Test;

class DenialTest {

    @Test
    void bodyHasEveryFieldAndTheUpdateCommand() {
        Decision d = new Decision(
                Verdict.DENY,
                Layer.L4,
                "gh",
                0,
                null,
                "no policy allows /usr/bin/python3 to reach api.github.com:443; policy gh allows it for /usr/bin/gh",
                false,
                "--add-endpoint api.github.com:443 --binary /usr/bin/python3");
        String json = new Denial("sb-1", d, "api.github.com", 443, "/usr/bin/python3", "CONNECT", null).toJson();
        assertThat(json)
                .startsWith("{\"error\":\"policy_denied\"")
                .contains(
                        "\"layer\":\"l4\"",
                        "\"policy\":\"gh\"",
                        "\"host\":\"api.github.com\"",
                        "\"port\":443",
                        "\"binary\":\"/usr/bin/python3\"",
                        "\"method\":\"CONNECT\"",
                        "\"path\":null",
                        "\"next_steps\":\"openshell policy update sb-1 --add-endpoint api.github.com:443 --binary /usr/bin/python3\"");
    }

    @Test
    void bodiesOnReadOnlyEndpointsAndRequestLimitsSayWhatWouldLiftThem() {
        Decision body = new Decision(
                Verdict.DENY, Layer.L7, "api", 0, "access: read-only", "GET /x ... takes no request body", false, null);
        Decision limit = new Decision(
                Verdict.DENY,
                Layer.L7,
                "api",
                0,
                "request_limits.max_query_bytes",
                "a query of 9 bytes ...",
                false,
                null);

        assertThat(new Denial("sb-1", body, "ro.test", 443, "/usr/bin/curl", "GET", "/x").nextSteps())
                .isEqualTo("read-only endpoints take no request body; send the request without one, or allow writes"
                        + " to this endpoint (access: read-write, or rules) with openshell policy set sb-1");
        assertThat(new Denial("sb-1", limit, "ro.test", 443, "/usr/bin/curl", "GET", "/x").nextSteps())
                .isEqualTo("the request is larger than the endpoint's request_limits.max_query_bytes allows; send"
                        + " less, or raise the limit in the policy file and apply it with openshell policy set sb-1");
    }

    @Test
    void escapesControlCharactersAndQuotes() {
        assertThat(new JsonObject().put("a", "x\"y\\z\n\u0001").toString())
                .isEqualTo("{\"a\":\"x\\\"y\\\\z\\n\\u0001\"}");
    }
}
