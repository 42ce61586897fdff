package dev.openshell.api;

import java.nio.charset.StandardCharsets;

/**
 * The REST paths of the gateway, shared by its controllers and {@code GatewayClient} so they cannot
 * disagree. Names put into a path are percent-encoded as one segment; {@code .} and {@code ..} are
 * refused, so a name can never climb out of its collection.
 */
public final class ApiPaths {

    public static final String BASE = "/api/v1";
    public static final String SANDBOXES = BASE + "/sandboxes";
    public static final String PROVIDERS = BASE + "/providers";
    public static final String INFERENCE_ROUTES = BASE + "/inference/routes";
    public static final String DECISIONS = BASE + "/decisions";
    public static final String TOKENS = BASE + "/tokens";
    /** What the gateway says about itself: {@link GatewayInfo}. */
    public static final String GATEWAY = BASE + "/gateway";

    public static final String HEALTHZ = "/healthz";
    public static final String READYZ = "/readyz";

    /** The query parameter of sandbox lists that takes a {@link dev.openshell.api.validation.LabelSelector}. */
    public static final String LABEL_SELECTOR = "label_selector";

    private ApiPaths() {}

    public static String sandbox(String name) {
        return SANDBOXES + "/" + segment(name);
    }

    public static String sandboxStop(String name) {
        return sandbox(name) + "/stop";
    }

    public static String sandboxStart(String name) {
        return sandbox(name) + "/start";
    }

    public static String sandboxExec(String name) {
        return sandbox(name) + "/exec";
    }

    public static String sandboxLogs(String name) {
        return sandbox(name) + "/logs";
    }

    /** GET the current policy, PUT a full replacement, PATCH merge operations. */
    public static String sandboxPolicy(String name) {
        return sandbox(name) + "/policy";
    }

    public static String policyRevisions(String name) {
        return sandboxPolicy(name) + "/revisions";
    }

    public static String policyRevision(String name, long number) {
        return policyRevisions(name) + "/" + number;
    }

    /** Where a sandbox's supervisor sends batches of log lines (its own sandbox only). */
    public static String supervisorLogs(String name) {
        return sandbox(name) + "/supervisor/logs";
    }

    /** Where a sandbox's supervisor sends batches of decision records. */
    public static String supervisorDecisions(String name) {
        return sandbox(name) + "/supervisor/decisions";
    }

    /** Where a sandbox's supervisor acks a policy revision ({@link dev.openshell.api.policy.PolicyAck}). */
    public static String supervisorPolicyAcks(String name) {
        return sandbox(name) + "/supervisor/policy-acks";
    }

    /**
     * The supervisor's session (WebSocket, {@link dev.openshell.api.session.SessionMessage} frames):
     * one long-lived connection per sandbox, authenticated with its supervisor token.
     */
    public static String supervisorSession(String name) {
        return sandbox(name) + "/supervisor/session";
    }

    /** Streaming exec (WebSocket, {@link dev.openshell.api.session.SessionMessage} frames). */
    public static String sandboxExecStream(String name) {
        return sandboxExec(name) + "/stream";
    }

    /** The SSH tunnel (WebSocket, binary frames): a byte stream to the sandbox's SSH server. */
    public static String sandboxSsh(String name) {
        return sandbox(name) + "/ssh";
    }

    /** {@code POST} an {@link dev.openshell.api.sandbox.SshKeyRequest} to let that key into the sandbox's SSH server. */
    public static String sandboxSshKeys(String name) {
        return sandboxSsh(name) + "/authorized-keys";
    }

    /** Upload ({@code PUT}, a tar stream) and download ({@code GET}, a tar stream) of files; query {@code path}. */
    public static String sandboxFiles(String name) {
        return sandbox(name) + "/files";
    }

    public static String provider(String name) {
        return PROVIDERS + "/" + segment(name);
    }

    public static String inferenceRoute(String name) {
        return INFERENCE_ROUTES + "/" + segment(name);
    }

    public static String token(String id) {
        return TOKENS + "/" + segment(id);
    }

    /** {@code value} percent-encoded (UTF-8) as one path segment: everything but RFC 3986 unreserved characters. */
    public static String segment(String value) {
        if (value == null || value.isEmpty() || value.equals(".") || value.equals("..")) {
            throw ApiException.invalid("name", SafeText.quote(value) + " cannot be a path segment");
        }
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
