package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.tls.TrustBundle;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentEnvironmentTest {

    private final TrustBundle trust = new TrustBundle(Path.of("/s/tls/ca.pem"), Path.of("/s/tls/bundle.pem"), 140);

    @Test
    void proxyAndTrustVariablesInBothCasesWinOverTheCallers() {
        Map<String, String> env = AgentEnvironment.build(
                "http://10.200.0.1:3128", trust, "sandbox", Map.of("HTTPS_PROXY", "http://evil:1", "FOO", "bar"));

        for (String name : new String[] {"http_proxy", "https_proxy", "all_proxy", "grpc_proxy"}) {
            assertThat(env).containsEntry(name, "http://10.200.0.1:3128");
            assertThat(env).containsEntry(name.toUpperCase(), "http://10.200.0.1:3128");
        }
        assertThat(env)
                .containsEntry("NO_PROXY", "localhost,127.0.0.1,::1")
                .containsEntry("no_proxy", "localhost,127.0.0.1,::1")
                .containsEntry("NODE_USE_ENV_PROXY", "1")
                .containsEntry("SSL_CERT_FILE", "/s/tls/bundle.pem")
                .containsEntry("REQUESTS_CA_BUNDLE", "/s/tls/bundle.pem")
                .containsEntry("CURL_CA_BUNDLE", "/s/tls/bundle.pem")
                .containsEntry("GIT_SSL_CAINFO", "/s/tls/bundle.pem")
                .containsEntry("PIP_CERT", "/s/tls/bundle.pem")
                .containsEntry("NODE_EXTRA_CA_CERTS", "/s/tls/ca.pem")
                .containsEntry("FOO", "bar")
                .containsEntry("USER", "sandbox")
                .containsEntry("HOME", "/tmp")
                .containsEntry("PATH", AgentEnvironment.DEFAULT_PATH);
    }

    @Test
    void nothingOfTheSupervisorsEnvironmentLeaksIn() {
        Map<String, String> env = AgentEnvironment.build("http://10.200.0.1:3128", trust, "sandbox", Map.of());

        assertThat(env).doesNotContainKeys("JAVA_HOME", "SSH_AUTH_SOCK", "MAVEN_OPTS");
    }
}
