package dev.openshell.sandbox.proxy.deny;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Decision;
import dev.openshell.sandbox.json.SandboxJson;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonGenerator;

/**
 * What a client is told when the proxy refuses a request on policy grounds (the 403 body of
 * DESIGN.md section 4).
 *
 * @param method the request method ({@code CONNECT} for tunnels)
 * @param path the request path without its query, or {@code null} for a tunnel
 */
public record Denial(
        String sandboxId, Decision decision, String host, int port, String binary, String method, String path) {

    /**
     * Writes the JSON body: every field is present ({@code null} when unknown). Query strings never
     * appear in it.
     */
    public void writeJson(OutputStream out) {
        try (JsonGenerator g = SandboxJson.generator(out)) {
            g.writeStartObject();
            string(g, "error", ErrorCode.POLICY_DENIED.wire());
            string(g, "detail", decision.reason());
            string(g, "layer", decision.layer().wire());
            string(g, "policy", decision.policy().orElse(null));
            string(g, "rule", decision.rule().orElse(null));
            string(g, "host", host);
            g.writeNumberProperty("port", port);
            string(g, "binary", binary);
            string(g, "method", method);
            string(g, "path", path);
            string(g, "next_steps", nextSteps());
            g.writeEndObject();
        }
    }

    /** The JSON body as text. */
    public String toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        writeJson(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void string(JsonGenerator g, String name, String value) {
        if (value == null) {
            g.writeNullProperty(name);
        } else {
            g.writeStringProperty(name, SandboxJson.wellFormed(value));
        }
    }

    /** The policy update that would lift the denial, or why none can. */
    public String nextSteps() {
        if (decision.suggestion().isPresent()) {
            return "openshell policy update " + sandboxId + " "
                    + decision.suggestion().get();
        }
        String rule = decision.rule().orElse("");
        if (rule.equals("destination-guard")) {
            return "this destination is blocked by the destination guard; a private address can be allowed with"
                    + " `allowed_ips` on the endpoint (openshell policy update " + sandboxId + "); loopback,"
                    + " link-local and metadata addresses and the host's own addresses never";
        }
        if (rule.startsWith("request_limits.")) {
            return "the request is larger than the endpoint's " + rule + " allows; send less, or raise"
                    + " the limit in the policy file and apply it with openshell policy set " + sandboxId;
        }
        if (rule.equals("access: read-only")) {
            return "read-only endpoints take no request body; send the request without one, or allow writes to"
                    + " this endpoint (access: read-write, or rules) with openshell policy set " + sandboxId;
        }
        if (rule.startsWith("deny_rules")) {
            return "an explicit deny rule matched; remove it with openshell policy update " + sandboxId
                    + " if this request should pass";
        }
        return "check the sandbox policy with openshell policy get " + sandboxId;
    }
}
