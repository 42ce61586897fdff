package dev.openshell.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Every error OpenShell reports, with the HTTP status the gateway answers, the exit status the CLI
 * exits with and a one-line hint for the user. The wire form (a problem's {@code code}, the proxy's
 * {@code error}) is the lower-case constant name, e.g. {@code policy_denied}.
 *
 * <p>Codes marked "client side" are never sent by the gateway: the client raises them when it got
 * no usable HTTP answer; their status is the one a proxy in between would give (502).
 */
public enum ErrorCode {

    // --- Requests to the gateway ---------------------------------------------------------------
    BAD_REQUEST(400, ExitStatus.USAGE, "The request is malformed (not well-formed JSON or HTTP); see the detail."),
    VALIDATION_FAILED(400, ExitStatus.USAGE, "Correct the fields the errors list names, then retry."),
    UNKNOWN_FIELD(400, ExitStatus.USAGE, "Remove or correct the named field: the API rejects fields it does not know."),
    PAYLOAD_TOO_LARGE(413, ExitStatus.USAGE, "Send a smaller request body (a smaller policy, stdin or file)."),
    UNSUPPORTED_MEDIA_TYPE(415, ExitStatus.USAGE, "Send the body as JSON with Content-Type: application/json."),
    METHOD_NOT_ALLOWED(
            405, ExitStatus.USAGE, "This resource does not support that HTTP method; see the API reference."),
    UNAUTHORIZED(
            401, ExitStatus.NOT_PERMITTED, "Authenticate with the gateway's client certificate or a valid API token."),
    TOKEN_EXPIRED(
            401,
            ExitStatus.NOT_PERMITTED,
            "The API token has expired: create a new one with openshell gateway token create."),
    FORBIDDEN(
            403,
            ExitStatus.NOT_PERMITTED,
            "Your credentials lack the scope for this; use a token created with that --scope."),
    NOT_FOUND(404, ExitStatus.NOT_FOUND, "Check the name; the matching list command shows what exists."),
    ALREADY_EXISTS(409, ExitStatus.CONFLICT, "Choose another name, or delete the existing one first."),
    CONFLICT(409, ExitStatus.CONFLICT, "Someone else changed it at the same time: fetch it again and retry."),
    PRECONDITION_FAILED(412, ExitStatus.CONFLICT, "It changed since you read it (If-Match): fetch it again and retry."),
    IDEMPOTENCY_KEY_REUSED(
            422, ExitStatus.CONFLICT, "That Idempotency-Key was used for a different request: use a new key."),
    SANDBOX_NOT_READY(
            409, ExitStatus.CONFLICT, "Wait until the sandbox is Ready (openshell sandbox get), or start it."),
    RATE_LIMITED(429, ExitStatus.UNAVAILABLE, "Too many requests: wait as long as Retry-After says, then retry."),
    TIMEOUT(
            504,
            ExitStatus.TIMEOUT,
            "It did not finish in time and may still complete: check its status before retrying."),
    UNAVAILABLE(
            503,
            ExitStatus.UNAVAILABLE,
            "The gateway cannot serve this now (database or compute driver down): retry shortly."),
    INTERNAL(500, ExitStatus.INTERNAL, "An unexpected failure: the gateway log has the details."),
    /** Client side. */
    GATEWAY_UNREACHABLE(
            502,
            ExitStatus.UNAVAILABLE,
            "Check the gateway address (openshell gateway info) and that the gateway runs."),
    /** Client side. */
    TLS_FAILED(
            502,
            ExitStatus.NOT_PERMITTED,
            "Check that the gateway's CA and your client certificate are the ones it issued."),
    /** Client side: the SSH server of a remote gateway host does not answer. */
    REMOTE_UNREACHABLE(
            502, ExitStatus.UNAVAILABLE, "Check the host name and that its SSH server runs (ssh user@host true)."),
    /** Client side: the remote host's SSH key is not in known_hosts, or differs from the one there. */
    REMOTE_HOST_KEY_REJECTED(
            502,
            ExitStatus.NOT_PERMITTED,
            "Check the host key's fingerprint, then accept it with ssh user@host once (answer yes)."),
    /** Client side: the remote host refused every SSH key offered. */
    REMOTE_AUTH_FAILED(
            502,
            ExitStatus.NOT_PERMITTED,
            "Pass a key the host accepts (--ssh-key), or add yours to ~/.ssh/authorized_keys there."),
    /** Client side: the remote host lacks what a gateway needs (Java 25, root, ip, nft). */
    REMOTE_PREREQUISITES_MISSING(
            400, ExitStatus.USAGE, "Install what the error lists on the remote host, then run the command again."),
    /** Client side: a command run over SSH on the remote host failed. */
    REMOTE_COMMAND_FAILED(
            502, ExitStatus.SANDBOX_FAILED, "Look at the remote host: the detail has the command's last message."),

    // --- Policies ------------------------------------------------------------------------------
    POLICY_DENIED(403, ExitStatus.DENIED, "If it should pass, run the openshell policy update that next_steps names."),
    POLICY_INVALID(
            400, ExitStatus.USAGE, "Fix the policy: openshell policy validate FILE lists every error with its line."),
    POLICY_UNREADABLE(400, ExitStatus.USAGE, "Check the policy file's path and permissions."),
    POLICY_UPDATE_INVALID(400, ExitStatus.USAGE, "Check the update against the current policy (openshell policy get)."),
    POLICY_STATIC_CHANGE(
            400,
            ExitStatus.USAGE,
            "filesystem_policy, landlock and process are fixed at creation: recreate the sandbox."),
    POLICY_REJECTED(
            422, ExitStatus.DENIED, "The sandbox could not load this revision: openshell policy list shows its error."),

    // --- The egress proxy's answers to the agent -----------------------------------------------
    AMBIGUOUS_FRAMING(400, ExitStatus.USAGE, "Send one unambiguous body length (Content-Length or chunked, not both)."),
    URI_TOO_LONG(414, ExitStatus.USAGE, "Shorten the request line (URL and query)."),
    HEADERS_TOO_LARGE(431, ExitStatus.USAGE, "Send smaller request headers."),
    TOO_MANY_HEADERS(431, ExitStatus.USAGE, "Send fewer request header fields."),
    HEADER_TIMEOUT(408, ExitStatus.TIMEOUT, "Send the whole request head promptly after connecting."),
    VERSION_NOT_SUPPORTED(505, ExitStatus.USAGE, "Talk HTTP/1.1 (or 1.0) to the proxy."),
    USE_CONNECT(400, ExitStatus.USAGE, "Send HTTPS through the proxy with CONNECT (set HTTPS_PROXY)."),
    BODY_TOO_LARGE(413, ExitStatus.USAGE, "Send a smaller request body."),
    TOO_MANY_CONNECTIONS(
            503, ExitStatus.UNAVAILABLE, "The sandbox has too many open connections: close some and retry."),
    UPSTREAM_UNRESOLVABLE(502, ExitStatus.UNAVAILABLE, "The host name does not resolve: check its spelling."),
    UPSTREAM_UNREACHABLE(
            502, ExitStatus.UNAVAILABLE, "The server refused or dropped the connection: check that it is up."),
    UPSTREAM_TIMEOUT(504, ExitStatus.TIMEOUT, "The server did not answer in time: check that it is up."),
    UPSTREAM_FAILED(502, ExitStatus.UNAVAILABLE, "The server's answer broke off or was malformed."),
    PROXY_ERROR(500, ExitStatus.INTERNAL, "An unexpected failure in the proxy: the sandbox log has the details."),
    INFERENCE_NOT_CONFIGURED(
            503, ExitStatus.UNAVAILABLE, "Configure a route: openshell inference set --provider P --model M."),
    INFERENCE_FAILED(
            502,
            ExitStatus.UNAVAILABLE,
            "Every inference route failed: check the providers' base URLs and credentials."),
    IDENTITY_UNKNOWN(
            403, ExitStatus.DENIED, "The calling program could not be identified (it exited?); such calls are denied."),
    BINARY_CHANGED(
            403, ExitStatus.DENIED, "A program changed on disk since its first call: restart the sandbox to trust it."),
    HOST_MISMATCH(400, ExitStatus.USAGE, "Send the request for the host the tunnel or connection was opened for."),
    BAD_HOST(400, ExitStatus.USAGE, "Send exactly one Host header of the form host[:port]."),
    AMBIGUOUS_PATH(
            400,
            ExitStatus.USAGE,
            "Send the path in one plain spelling (no encoded slash, dot segment, backslash or control character)."),
    BAD_UPGRADE(400, ExitStatus.USAGE, "Only a valid WebSocket handshake (RFC 6455) may switch protocols here."),
    BAD_UPGRADE_RESPONSE(
            502, ExitStatus.UNAVAILABLE, "The server answered the upgrade with something other than a WebSocket 101."),
    BAD_CHUNKED_BODY(
            400, ExitStatus.USAGE, "Send a well-formed chunked body (hex sizes, CRLF line ends, plain trailers)."),
    SNI_MISMATCH(400, ExitStatus.USAGE, "Use the TLS server name of the host the tunnel was opened for."),

    // --- Sandboxes and their supervisor --------------------------------------------------------
    SPEC_INVALID(400, ExitStatus.USAGE, "Correct the sandbox specification the detail names."),
    SPEC_UNREADABLE(400, ExitStatus.USAGE, "Check the sandbox spec file's path and permissions."),
    WORKDIR_MISSING(400, ExitStatus.USAGE, "Pass an existing directory to --workdir."),
    WORKDIR_UNUSABLE(
            400,
            ExitStatus.USAGE,
            "Give --workdir a writable directory of an unprivileged user on a local filesystem, or omit it."),
    RESOURCES_INVALID(400, ExitStatus.USAGE, "Sizes are like 512m or 2g; --cpus is at most this host's cores."),
    PROCESS_USER_UNKNOWN(
            400, ExitStatus.USAGE, "Name an existing user and group (or numeric ids) in process.run_as_user/group."),
    PROCESS_USER_RESERVED(
            400, ExitStatus.USAGE, "Run the agent as an unprivileged account outside the per-sandbox ids, or omit it."),
    SANDBOX_ID_INVALID(400, ExitStatus.USAGE, "Use a DNS label: lower-case letters, digits and '-'."),
    SANDBOX_UNKNOWN(404, ExitStatus.NOT_FOUND, "No such sandbox on this host: check the id or state directory."),
    SANDBOX_EXISTS(
            409, ExitStatus.CONFLICT, "A sandbox with this id already runs: stop it first or choose another id."),
    CONTROL_UNREACHABLE(
            503, ExitStatus.UNAVAILABLE, "The sandbox's supervisor does not answer: is the sandbox still running?"),
    NOT_ROOT(
            503,
            ExitStatus.SANDBOX_FAILED,
            "Sandboxes create network namespaces and firewall rules: run as root (e.g. sudo)."),
    NETWORK_UNAVAILABLE(
            503, ExitStatus.SANDBOX_FAILED, "Install iproute2 and nftables: apt-get install -y iproute2 nftables."),
    SUBNET_EXHAUSTED(
            503, ExitStatus.SANDBOX_FAILED, "Too many sandboxes on this host: stop some, or run openshell cleanup."),
    UID_EXHAUSTED(
            503,
            ExitStatus.SANDBOX_FAILED,
            "Every per-sandbox uid is claimed: stop some sandboxes, or run openshell cleanup."),
    UID_STATE_FAILED(
            500, ExitStatus.SANDBOX_FAILED, "The host's per-sandbox uid claims are unusable: run openshell cleanup."),
    CGROUPS_UNAVAILABLE(
            503,
            ExitStatus.SANDBOX_FAILED,
            "Resource limits need the memory and pids cgroup controllers (cgroup v2, or v1 hierarchies)."),
    CGROUP_FAILED(500, ExitStatus.SANDBOX_FAILED, "The sandbox's cgroup could not be made or removed: see the detail."),
    NETWORK_COMMAND_FAILED(
            500, ExitStatus.SANDBOX_FAILED, "Setting up the sandbox network failed: the detail shows the command."),
    NETWORK_STATE_FAILED(
            500, ExitStatus.SANDBOX_FAILED, "The host's sandbox network state is unusable: run openshell cleanup."),
    ORIGINAL_DESTINATION_UNAVAILABLE(
            500,
            ExitStatus.SANDBOX_FAILED,
            "A captured connection's destination was lost; the kernel may lack nf_conntrack."),
    LANDLOCK_PATH_MISSING(
            422, ExitStatus.SANDBOX_FAILED, "Create the path, or set landlock.compatibility to best_effort."),
    LAUNCH_SPEC_INVALID(500, ExitStatus.SANDBOX_FAILED, "The agent's launch was mis-specified: the detail says how."),
    LAUNCHER_UNAVAILABLE(
            500, ExitStatus.SANDBOX_FAILED, "The native sandbox launcher is missing: rebuild with ./mvnw package."),
    SANDBOX_USER_FAILED(
            500,
            ExitStatus.SANDBOX_FAILED,
            "The sandbox user could not be created: run as root with useradd available."),
    START_FAILED(500, ExitStatus.SANDBOX_FAILED, "The sandbox failed to start: the sandbox log has the details."),
    SSH_ENDPOINT_INVALID(
            500, ExitStatus.SANDBOX_FAILED, "The sandbox's SSH endpoint files are damaged: restart the sandbox."),
    SSH_SERVER_FAILED(
            500, ExitStatus.SANDBOX_FAILED, "The sandbox's SSH server did not start: the sandbox log has the details."),
    SSH_KEY_INVALID(400, ExitStatus.USAGE, "Give one OpenSSH public key line (as in id_ed25519.pub)."),
    WORKLOAD_DELETE_FAILED(
            500,
            ExitStatus.SANDBOX_FAILED,
            "The workload's files could not be removed: the detail names what remains."),
    SSH_CONNECT_FAILED(502, ExitStatus.UNAVAILABLE, "The sandbox's SSH server does not answer: is the sandbox Ready?"),
    SSH_AUTH_FAILED(
            502, ExitStatus.NOT_PERMITTED, "The sandbox refused the SSH key: restart the sandbox to renew its keys."),
    SSH_EXEC_FAILED(
            502, ExitStatus.SANDBOX_FAILED, "The command could not be run in the sandbox: the detail says why."),
    SSH_FORWARD_FAILED(502, ExitStatus.SANDBOX_FAILED, "The port could not be forwarded: is the local port free?"),
    SSH_TRANSFER_FAILED(
            502,
            ExitStatus.SANDBOX_FAILED,
            "The file transfer failed: check both paths and the sandbox's filesystem policy."),
    TRANSFER_FAILED(
            422,
            ExitStatus.USAGE,
            "Check the path inside the sandbox and its filesystem policy; the detail has tar's message.");

    private static final String TYPE_PREFIX = "urn:openshell:problem:";

    private final int httpStatus;
    private final ExitStatus exitStatus;
    private final String hint;

    ErrorCode(int httpStatus, ExitStatus exitStatus, String hint) {
        this.httpStatus = httpStatus;
        this.exitStatus = exitStatus;
        this.hint = hint;
    }

    /** The wire form: the constant's name in lower case ({@code policy_denied}). */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status the gateway answers with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** What the CLI exits with. */
    public ExitStatus exitStatus() {
        return exitStatus;
    }

    /** The CLI's exit status as a number. */
    public int exitCode() {
        return exitStatus.code();
    }

    /** One line telling the user what to do about it. */
    public String hint() {
        return hint;
    }

    /** The problem type URI ({@code urn:openshell:problem:policy_denied}). */
    public URI type() {
        return URI.create(TYPE_PREFIX + wire());
    }

    /** A short title for problem documents: {@code Policy denied}, {@code SSH auth failed}. */
    public String title() {
        StringBuilder title = new StringBuilder();
        for (String word : wire().split("_")) {
            String shown = switch (word) {
                case "ssh", "uri", "tls", "id", "sni", "uid" -> word.toUpperCase(Locale.ROOT);
                default -> word;
            };
            if (title.isEmpty()) {
                title.append(Character.toUpperCase(shown.charAt(0))).append(shown, 1, shown.length());
            } else {
                title.append(' ').append(shown);
            }
        }
        return title.toString();
    }

    /** The code with wire form {@code wire}, if this version knows it. */
    public static Optional<ErrorCode> fromWire(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (ErrorCode code : values()) {
            if (code.wire().equals(wire)) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }

    /**
     * The code to assume for an HTTP error that carried no code this version knows (a plain-text
     * 502 from a load balancer, a problem from a newer gateway).
     */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 408, 504 -> TIMEOUT;
            case 409 -> CONFLICT;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> VALIDATION_FAILED;
            case 429 -> RATE_LIMITED;
            case 502, 503 -> UNAVAILABLE;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL;
        };
    }
}
