package dev.openshell.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.provider.Provider;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Credential values and token secrets are write-only: no record the gateway answers with (a read
 * shape) has a field that could carry one, at any depth. The write shapes are named here, so a
 * new shape that carries a secret has to be added on purpose.
 */
class ReadShapeSecretsTest {

    /** The only records allowed to carry secrets: requests, and the one-time answer to a token create. */
    private static final Set<String> WRITE_SHAPES =
            Set.of("ProviderRequest", "SandboxCreateRequest", "ApiTokenCreateRequest", "ApiTokenCreated");

    /** Words of a component's (snake_case) name that mean it would hold a secret value. */
    private static final Set<String> SECRET_WORDS = Set.of(
            "secret",
            "secrets",
            "credential",
            "credentials",
            "password",
            "passwd",
            "apikey",
            "env",
            "environment",
            "private",
            "token",
            "bearer",
            "authorization",
            "key");

    /** Names with such a word that hold no secret, and why. */
    private static final Set<String> NOT_SECRET = Set.of(
            "Page.nextPageToken", // an opaque paging cursor
            "AddEndpoint.policyKey", // the name of a network policy
            "SshKeyRequest.publicKey", // a public key: the private one never travels
            "SshAuthorize.publicKey",
            "SshAuthorized.hostKey", // the SSH server's public host key
            "SshAccess.hostKey");

    @Test
    void noReadShapeHasAFieldForASecret() {
        List<String> offenders = new ArrayList<>();
        for (Class<?> record : ApiClasses.wireRecords()) {
            if (!WRITE_SHAPES.contains(record.getSimpleName())
                    && !record.getSimpleName().endsWith("Request")) {
                scan(record, record.getSimpleName(), offenders, new HashSet<>());
            }
        }
        assertThat(offenders)
                .as("read shapes with a field that could carry a secret")
                .isEmpty();
    }

    @Test
    void theWriteShapesAreTheOnesExpected() {
        List<String> carriers = new ArrayList<>();
        for (Class<?> record : ApiClasses.wireRecords()) {
            List<String> found = new ArrayList<>();
            scan(record, record.getSimpleName(), found, new HashSet<>());
            if (!found.isEmpty()) {
                carriers.add(record.getSimpleName());
            }
        }
        assertThat(WRITE_SHAPES).containsAll(carriers);
    }

    @Test
    void aProviderNeverSerialisesACredentialValue() {
        String secret = "sk-live-0123456789abcdef";
        var request = new dev.openshell.api.provider.ProviderRequest(
                "openai", "openai", "https://api.openai.com/v1", null, java.util.Map.of("OPENAI_API_KEY", secret));
        Provider read = new Provider(
                request.name(),
                request.type(),
                request.baseUrl(),
                request.protocol(),
                List.copyOf(request.credentials().keySet()),
                null,
                null,
                "1");
        assertThat(ApiJson.strict().writeValueAsString(read))
                .doesNotContain(secret)
                .contains("OPENAI_API_KEY");
        assertThat(request.toString()).doesNotContain(secret).contains("OPENAI_API_KEY");
    }

    @Test
    void secretsStayOutOfToStringAndValidationMessages() {
        assertThat(Samples.TOKEN_CREATED.toString()).doesNotContain(Samples.TOKEN_CREATED.secret());
        assertThat(new ApiTokenCreated(Samples.TOKEN, "abc").toString()).contains("redacted");
        var create = new dev.openshell.api.sandbox.SandboxCreateRequest(
                "demo",
                List.of("sh"),
                java.util.Map.of("GITHUB_TOKEN", "ghp_s3cret"),
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(create.toString()).doesNotContain("ghp_s3cret").contains("GITHUB_TOKEN");
        var bad = new dev.openshell.api.provider.ProviderRequest(
                "openai", "openai", null, null, java.util.Map.of("KEY", "sk-abc\r\nX-Injected: 1"));
        try {
            bad.validate();
            throw new AssertionError("a credential with a line break was accepted");
        } catch (ApiException e) {
            assertThat(e.getMessage() + e.problem()).doesNotContain("sk-abc").doesNotContain("Injected");
        }
    }

    private static void scan(Class<?> type, String where, List<String> offenders, Set<Class<?>> seen) {
        if (!type.isRecord() || !seen.add(type)) {
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            List<String> words = List.of(c.getName()
                    .replaceAll("([A-Z])", "_$1")
                    .toLowerCase(Locale.ROOT)
                    .split("_"));
            boolean keysOnly = words.getLast().equals("keys"); // credential_keys: names, not values
            boolean exempt = NOT_SECRET.contains(type.getSimpleName() + "." + c.getName());
            if (!keysOnly && !exempt && words.stream().anyMatch(SECRET_WORDS::contains)) {
                offenders.add(where + "." + c.getName());
            }
            for (Class<?> nested : mentioned(c.getGenericType())) {
                scan(nested, where + "." + c.getName(), offenders, seen);
            }
        }
    }

    private static List<Class<?>> mentioned(Type type) {
        List<Class<?>> out = new ArrayList<>();
        if (type instanceof Class<?> c) {
            out.add(c);
        } else if (type instanceof ParameterizedType p) {
            out.addAll(mentioned(p.getRawType()));
            for (Type arg : p.getActualTypeArguments()) {
                out.addAll(mentioned(arg));
            }
        }
        return out;
    }
}
