package dev.openshell.api;

import dev.openshell.api.auth.ApiToken;
import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.decision.CaptureMode;
import dev.openshell.api.decision.DecisionQuery;
import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.decision.Layer;
import dev.openshell.api.decision.Verdict;
import dev.openshell.api.inference.InferenceCost;
import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.api.inference.Privacy;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.policy.EndpointAccess;
import dev.openshell.api.policy.EndpointProtocol;
import dev.openshell.api.policy.PolicyAck;
import dev.openshell.api.policy.PolicyOperation;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.PolicyUpdateRequest;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.provider.ProviderProtocol;
import dev.openshell.api.provider.ProviderRequest;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.ExecResult;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.ResourceLimits;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.api.sandbox.SshAccess;
import dev.openshell.api.sandbox.SshKeyRequest;
import dev.openshell.api.session.SessionMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JavaType;

/** One realistic instance of every record of the API, with every field set; golden files hold their JSON. */
public final class Samples {

    public static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    public static final Instant READY = Instant.parse("2026-01-02T03:04:07.250Z");

    public static final ResourceLimits LIMITS = new ResourceLimits(512L << 20, 1.5, 256);

    public static final Sandbox SANDBOX = new Sandbox(
            "sbx-7f3a9c",
            "demo",
            SandboxPhase.READY,
            "agent exited",
            3,
            Map.of("team", "ml"),
            "openshell/sandbox:1.0",
            List.of("sh", "-c", "echo hi"),
            List.of("openai"),
            LIMITS,
            CREATED,
            READY,
            2L,
            "17");

    public static final SandboxCreateRequest SANDBOX_CREATE = new SandboxCreateRequest(
            "demo",
            List.of("sh"),
            Map.of("TERM", "xterm"),
            Map.of("team", "ml"),
            "version: 1\n",
            List.of("openai"),
            "openshell/sandbox:1.0",
            LIMITS,
            true);

    public static final ExecRequest EXEC = new ExecRequest(List.of("cat"), "hello\n", Duration.ofSeconds(30));
    public static final ExecResult EXEC_RESULT = new ExecResult("hello\n", "", 0, false);
    public static final LogLine LOG_LINE = new LogLine(CREATED, LogLine.Source.AGENT, LogLine.Stream.STDERR, "warning");

    public static final PolicyRevision REVISION = new PolicyRevision(
            2, RevisionStatus.FAILED, "line 3: unknown key", "sha256:ab12", CREATED, READY, "version: 1\n");
    public static final PolicySetRequest POLICY_SET = new PolicySetRequest("version: 1\n");
    public static final PolicyAck POLICY_ACK = PolicyAck.failed(3, "network_policies.gh: unknown key 'hots'");
    public static final PolicyOperation.AddEndpoint ADD_ENDPOINT = new PolicyOperation.AddEndpoint(
            "github", "api.github.com", 443, EndpointAccess.READ_ONLY, EndpointProtocol.REST, List.of("/usr/bin/gh"));
    public static final PolicyOperation.RemoveEndpoint REMOVE_ENDPOINT =
            new PolicyOperation.RemoveEndpoint("example.com", 80);
    public static final PolicyOperation.AddAllow ADD_ALLOW =
            new PolicyOperation.AddAllow("api.github.com", 443, "/usr/bin/gh", "POST", "/repos/**");
    public static final PolicyOperation.AddDeny ADD_DENY =
            new PolicyOperation.AddDeny("api.github.com", 443, "/usr/bin/gh", "*", "/admin/**");
    public static final PolicyUpdateRequest POLICY_UPDATE =
            new PolicyUpdateRequest(List.of(ADD_ENDPOINT, REMOVE_ENDPOINT, ADD_ALLOW, ADD_DENY));

    public static final Provider PROVIDER = new Provider(
            "openai",
            "openai",
            "https://api.openai.com/v1",
            ProviderProtocol.OPENAI,
            List.of("OPENAI_API_KEY"),
            CREATED,
            READY,
            "3");
    public static final ProviderRequest PROVIDER_REQUEST = new ProviderRequest(
            "openai",
            "openai",
            "https://api.openai.com/v1",
            ProviderProtocol.OPENAI,
            Map.of("OPENAI_API_KEY", "sk-test-4f1c0a9e"));

    public static final InferenceCost COST = new InferenceCost(new BigDecimal("2.50"), new BigDecimal("10"));
    public static final InferenceRoute ROUTE =
            new InferenceRoute("default", "openai", "gpt-4o-mini", Duration.ofSeconds(90), Privacy.ANY, COST, "3");

    public static final DecisionRecord DECISION = new DecisionRecord(
            CREATED,
            "sbx-7f3a9c",
            "/usr/bin/curl",
            4242,
            List.of("/usr/bin/bash"),
            "api.github.com",
            443,
            "GET",
            "/repos/acme/widgets?page=*",
            Verdict.DENY,
            Layer.L7,
            "github_readonly",
            "deny_rules[0]",
            "GET /repos/acme/widgets is not allowed",
            2,
            312,
            CaptureMode.TRANSPARENT);
    public static final DecisionQuery DECISION_QUERY =
            new DecisionQuery("demo", Verdict.DENY, Duration.ofMinutes(5), "/usr/bin/curl", "example.com");

    public static final ApiToken TOKEN = new ApiToken(
            "tok-1a2b",
            "ci",
            List.of(Scope.SANDBOX_READ, Scope.POLICY_WRITE),
            CREATED,
            CREATED.plus(Duration.ofDays(30)),
            READY,
            null);
    public static final ApiTokenCreateRequest TOKEN_CREATE =
            new ApiTokenCreateRequest("ci", List.of(Scope.SANDBOX_READ, Scope.POLICY_WRITE), Duration.ofDays(30));
    public static final ApiTokenCreated TOKEN_CREATED = new ApiTokenCreated(TOKEN, "osh_1a2b_s3cr3tvalue");

    public static final Problem PROBLEM = Problem.of(ErrorCode.VALIDATION_FAILED, "name: 'Demo' has upper-case letters")
            .withInstance("/api/v1/sandboxes")
            .withHint("Names are DNS labels.")
            .withErrors(List.of(new FieldError("name", "'Demo' has upper-case letters")));
    public static final FieldError FIELD_ERROR = new FieldError("labels.team", "label value too long");
    public static final Page<Sandbox> PAGE = new Page<>(List.of(SANDBOX), "b2Zmc2V0PTEw");
    public static final DeleteResult DELETED = DeleteResult.alreadyAbsent("demo");
    public static final GatewayInfo GATEWAY_INFO = new GatewayInfo("0.1.0", "local", true, "sqlite", CREATED);

    public static final List<Object> SESSION = List.of(
            new SessionMessage.Hello("sbx-7f3a9c", 3),
            new SessionMessage.PolicyPush(4, "version: 1\n"),
            new SessionMessage.PolicyResult(4, RevisionStatus.FAILED, "filesystem_policy changed"),
            new SessionMessage.Logs(List.of(LOG_LINE)),
            new SessionMessage.Decisions(List.of(DECISION)),
            new SessionMessage.AgentExited(3, "exited with status 3"),
            new SessionMessage.ExecStart("e1", List.of("sh", "-c", "echo hi"), true, 80, 24, Duration.ofSeconds(30)),
            new SessionMessage.ExecInput("e1", "aGkK", true),
            new SessionMessage.ExecResize("e1", 120, 40),
            new SessionMessage.ExecKill("e1"),
            new SessionMessage.ExecSignal("e1", "INT"),
            new SessionMessage.ExecOutput("e1", LogLine.Stream.STDOUT, "aGkK"),
            new SessionMessage.ExecExit("e1", 127, false, "sh: no such program"),
            new SessionMessage.TunnelOpen("t1"),
            new SessionMessage.TunnelData("t1", "U1NILTIuMAo="),
            new SessionMessage.TunnelClose("t1", "connection refused"),
            new SessionMessage.SshAuthorize("k1", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@laptop"),
            new SessionMessage.SshAuthorized(
                    "k1", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost", "a sample with every field"),
            new SshKeyRequest("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@laptop"),
            new SshAccess("sandbox", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHost"));

    /** Every sample by the name of its golden file. */
    public static Map<String, Object> all() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Object sample : List.of(
                LIMITS,
                SANDBOX,
                SANDBOX_CREATE,
                EXEC,
                EXEC_RESULT,
                LOG_LINE,
                REVISION,
                POLICY_SET,
                POLICY_ACK,
                ADD_ENDPOINT,
                REMOVE_ENDPOINT,
                ADD_ALLOW,
                ADD_DENY,
                POLICY_UPDATE,
                PROVIDER,
                PROVIDER_REQUEST,
                COST,
                ROUTE,
                DECISION,
                DECISION_QUERY,
                TOKEN,
                TOKEN_CREATE,
                TOKEN_CREATED,
                PROBLEM,
                FIELD_ERROR,
                PAGE,
                DELETED,
                GATEWAY_INFO)) {
            all.put(goldenName(sample.getClass()), sample);
        }
        for (Object sample : SESSION) {
            all.put(goldenName(sample.getClass()), sample);
        }
        return all;
    }

    /** {@code Sandbox}, {@code PolicyOperation.AddEndpoint}. */
    public static String goldenName(Class<?> type) {
        return type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
    }

    /** The type to read a sample back as ({@code Page<Sandbox>} for the page). */
    public static JavaType readType(Object sample) {
        if (sample instanceof Page<?>) {
            return ApiJson.lenient().getTypeFactory().constructParametricType(Page.class, Sandbox.class);
        }
        return ApiJson.lenient().getTypeFactory().constructType(sample.getClass());
    }

    private Samples() {}
}
