package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.proxy.tls.TrustBundle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's environment (DESIGN.md section 3, step 3): a clean base (nothing of the supervisor's
 * own environment leaks in), the caller's extra variables, then the proxy and trust variables, which
 * always win, so unmodified {@code curl}, {@code git}, {@code python3} (urllib, requests), {@code
 * node} and {@code pip} go through the proxy and trust its CA without flags.
 */
public final class AgentEnvironment {

    /** The agent's {@code PATH} unless the caller sets one. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Never proxied: the agent's own loopback (its namespace has its own {@code lo}). */
    public static final String NO_PROXY = "localhost,127.0.0.1,::1";

    private static final List<String> PROXY_NAMES = List.of("http_proxy", "https_proxy", "all_proxy", "grpc_proxy");
    /** Variables that name the combined bundle (system roots + sandbox CA). */
    private static final List<String> BUNDLE_NAMES =
            List.of("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "PIP_CERT");

    private AgentEnvironment() {}

    /**
     * @param proxyUrl the explicit proxy, e.g. {@code http://10.200.0.1:3128}
     * @param trust the bundle the proxy wrote (paths as the agent sees them)
     * @param user the account the agent runs as ({@code USER}, {@code LOGNAME})
     * @param extra the caller's variables ({@code --env}, the spec's {@code env})
     */
    public static Map<String, String> build(
            String proxyUrl, TrustBundle trust, String user, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        // The sandbox account has no home; /tmp is private to the sandbox and writable.
        env.put("HOME", "/tmp");
        env.put("USER", user);
        env.put("LOGNAME", user);
        env.put("LANG", "C.UTF-8");
        env.putAll(extra);
        for (String name : PROXY_NAMES) {
            env.put(name, proxyUrl);
            env.put(name.toUpperCase(java.util.Locale.ROOT), proxyUrl);
        }
        env.put("no_proxy", NO_PROXY);
        env.put("NO_PROXY", NO_PROXY);
        env.put("NODE_USE_ENV_PROXY", "1");
        for (String name : BUNDLE_NAMES) {
            env.put(name, trust.bundlePem().toString());
        }
        // Node adds these to its built-in roots rather than replacing them: the CA alone is enough.
        env.put("NODE_EXTRA_CA_CERTS", trust.caPem().toString());
        return env;
    }
}
