package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real programs through the real proxy at L4: {@code curl}, {@code wget}, {@code python3} and a
 * shell, identified from {@code /proc}, decided by a real compiled policy, relayed to real servers.
 */
class L4ProxyIT {

    private static final String POLICY = """
            version: 1
            network_policies:
              curl_api:
                endpoints:
                  - {host: api.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}
                  - {host: loopy.test, port: HTTP_PORT}
                  - {host: private.test, port: HTTP_PORT}
                  - {host: rebind.test, port: HTTP_PORT, allowed_ips: [10.77.0.1]}
                  - {host: gone.invalid, port: HTTP_PORT}
                binaries: [{path: /usr/bin/curl}]
              via_shell:
                endpoints:
                  - {host: shell.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}
                binaries: [{path: SHELL_LINK}]
              globbed:
                endpoints:
                  - {host: glob.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}
                binaries: [{path: /usr/bin/wg*}]
              replaced:
                endpoints:
                  - {host: api.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}
                binaries: [{path: TOOL}]
              python:
                endpoints:
                  - {host: python.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}
                binaries: [{path: /usr/bin/python3}]
            """;

    private static ProxyHarness h;
    private static java.nio.file.Path shell;
    private static java.nio.file.Path tool;

    @BeforeAll
    static void start() throws Exception {
        h = new ProxyHarness();
        h.dns.put("loopy.test", "127.0.0.1");
        // A private copy of the shell, named in the policy through a symlink: no process above the
        // test can match it by accident, and the rule exercises symlink resolution.
        shell = java.nio.file.Files.copy(java.nio.file.Path.of("/bin/sh").toRealPath(), h.dir.resolve("test-shell"));
        java.nio.file.Path link = java.nio.file.Files.createSymbolicLink(h.dir.resolve("sh"), shell);
        tool = java.nio.file.Files.copy(java.nio.file.Path.of("/usr/bin/curl"), h.dir.resolve("tool"));
        h.start(POLICY.replace("SHELL_LINK", link.toString()).replace("TOOL", tool.toString()));
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static String url(String host, String path) {
        return "http://" + host + ":" + h.http.port() + path;
    }

    @Test
    void curlIsAllowedByForwardAndByConnect() throws Exception {
        assertThat(h.curl(url("api.test", "/forward")).out()).isEqualTo("GET /forward body=0\n");
        assertThat(h.curl("-p", url("api.test", "/tunnel")).out()).isEqualTo("GET /tunnel body=0\n");
        assertThat(h.decisions("api.test"))
                .anyMatch(d -> d.method().equals("CONNECT")
                        && d.verdict().equals("allow")
                        && d.binary().equals("/usr/bin/curl")
                        && "curl_api".equals(d.policy())
                        && d.pid() > 0
                        && d.generation() == 1);
    }

    @Test
    void python3IsDeniedWithTheJsonBody() throws Exception {
        String script = """
                import urllib.request, sys
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({'http': sys.argv[1]}))
                try:
                    opener.open(sys.argv[2])
                    print('ALLOWED')
                except urllib.error.HTTPError as e:
                    print(e.code)
                    print(e.read().decode())
                """;
        var r = ProxyHarness.run("/usr/bin/python3", "-c", script, h.proxyUrl(), url("api.test", "/py"));
        assertThat(r.out()).startsWith("403");
        String python = java.nio.file.Path.of("/usr/bin/python3").toRealPath().toString();
        assertThat(r.out())
                .contains(
                        "\"error\":\"policy_denied\"",
                        "\"layer\":\"l4\"",
                        "\"host\":\"api.test\"",
                        "\"binary\":\"" + python + "\"",
                        "\"method\":\"GET\"",
                        "\"path\":\"/py\"",
                        "\"next_steps\":\"openshell policy update sb-it --add-endpoint api.test:" + h.http.port()
                                + " --binary " + python + "\"");
        assertThat(h.http.requests).noneMatch(line -> line.contains("/py"));
    }

    @Test
    void symlinkedBinaryInPolicyMatchesItsTarget() throws Exception {
        var r = ProxyHarness.run("/usr/bin/python3", "-c", """
                import urllib.request, sys
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({'http': sys.argv[1]}))
                print(opener.open(sys.argv[2]).read().decode(), end='')
                """, h.proxyUrl(), url("python.test", "/sym"));
        assertThat(r.out()).isEqualTo("GET /sym body=0\n");
    }

    @Test
    void ancestorRuleAllowsCurlStartedByTheShell() throws Exception {
        var viaShell = ProxyHarness.run(
                shell.toString(),
                "-c",
                "/usr/bin/curl -sS -x " + h.proxyUrl() + " " + url("shell.test", "/from-sh") + "; true");
        assertThat(viaShell.out()).isEqualTo("GET /from-sh body=0\n");
        // Started by the test JVM instead: same binary, no matching ancestor, denied.
        assertThat(h.curl(url("shell.test", "/direct")).out()).contains("\"error\":\"policy_denied\"");
    }

    @Test
    void globRuleMatchesWget() throws Exception {
        var r = ProxyHarness.run(
                "/usr/bin/wget",
                "-q",
                "-O",
                "-",
                "-e",
                "use_proxy=yes",
                "-e",
                "http_proxy=" + h.proxyUrl(),
                url("glob.test", "/wget"));
        assertThat(r.out()).isEqualTo("GET /wget body=0\n");
        assertThat(h.curl(url("glob.test", "/curl")).out()).contains("policy_denied");
    }

    @Test
    void destinationGuardDeniesLoopbackAndUnlistedPrivateAddresses() throws Exception {
        String loopy = h.curl("-p", url("loopy.test", "/")).out();
        assertThat(h.curl(url("loopy.test", "/")).out())
                .contains("\"error\":\"policy_denied\"", "\"rule\":\"destination-guard\"", "loopback");
        assertThat(loopy).contains("403");
        assertThat(h.curl(url("private.test", "/")).out()).contains("\"rule\":\"destination-guard\"", "allowed_ips");
        assertThat(h.http.requests).noneMatch(line -> line.startsWith("GET / "));
    }

    @Test
    void aNameIsResolvedOnceAndOnlyTheCheckedAddressIsUsed() throws Exception {
        h.rebinding.add("rebind.test");
        // Two requests on one kept-alive connection: one lookup, both go to the checked address.
        var r = h.curl(url("rebind.test", "/one"), url("rebind.test", "/two"));
        assertThat(r.out()).isEqualTo("GET /one body=0\nGET /two body=0\n");
        assertThat(h.lookups.get("rebind.test").get()).isEqualTo(1);
        // A new connection looks up again; the rebound answer (loopback) is checked and refused.
        assertThat(h.curl(url("rebind.test", "/three")).out()).contains("\"rule\":\"destination-guard\"");
        assertThat(h.http.requests).noneMatch(line -> line.contains("/three"));
    }

    @Test
    void unresolvableNameAllowedByPolicyIs502() throws Exception {
        assertThat(h.curl(url("gone.invalid", "/")).out()).contains("\"error\":\"upstream_unresolvable\"");
        assertThat(h.curl(url("nowhere.invalid", "/")).out()).contains("\"error\":\"policy_denied\"");
    }

    @Test
    void aBinaryReplacedAfterFirstUseIsDenied() throws Exception {
        String target = url("api.test", "/tofu");
        var first = ProxyHarness.run(tool.toString(), "-sS", "-x", h.proxyUrl(), target);
        assertThat(first.out()).isEqualTo("GET /tofu body=0\n");
        // Same path, other content (wget copied over it): trust on first use refuses it.
        java.nio.file.Files.copy(
                java.nio.file.Path.of("/usr/bin/wget"), tool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var second = ProxyHarness.run(
                tool.toString(),
                "-q",
                "-O",
                "-",
                "-e",
                "use_proxy=yes",
                "-e",
                "http_proxy=" + h.proxyUrl(),
                "--content-on-error",
                target);
        assertThat(second.out()).contains("\"error\":\"policy_denied\"", "\"rule\":\"identity\"", "changed");
        assertThat(h.log)
                .anyMatch(d -> "identity".equals(d.rule()) && d.verdict().equals("deny"));
    }
}
