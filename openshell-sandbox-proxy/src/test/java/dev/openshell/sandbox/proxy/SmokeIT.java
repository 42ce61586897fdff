package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.l7.TlsContexts;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeIT {

    @Test
    void curlThroughProxy() throws Exception {
        try (LoopbackAliases aliases = new LoopbackAliases()) {
            String ip = aliases.add("10.77.0.1");
            TestCa upstreamCa = new TestCa("upstream");
            TestCa sandboxCa = new TestCa("sandbox");
            Path dir = Files.createTempDirectory("smoke");
            Path caFile = sandboxCa.writePem(dir.resolve("sandbox.pem"));
            var leafs = new ConcurrentHashMap<String, SslContext>();
            TlsContexts tls = new TlsContexts() {
                public SslContext serverFor(String host) {
                    return leafs.computeIfAbsent(host, h -> sandboxCa.serverContext(h));
                }

                public SslContext upstream() {
                    return upstreamCa.clientContext();
                }
            };
            try (TestUpstream http = new TestUpstream(ip, null);
                    TestUpstream https = new TestUpstream(ip, upstreamCa.serverContext("api.test"))) {
                var policy = new ScriptedPolicy("/usr/bin/curl", "api.test", http.port(), false, Set.of());
                var sink = new java.util.concurrent.ConcurrentLinkedQueue<
                        dev.openshell.sandbox.proxy.log.DecisionRecord>();
                EgressProxy proxy = new EgressProxy(ProxyConfig.builder("sb1", new ProcTestResolver(), policy, 1)
                                .hostResolver(h -> List.of(InetAddress.getByName(ip)))
                                .tls(tls)
                                .sink(sink::add)
                                .build())
                        .start();
                try {
                    String out = run(
                            "curl",
                            "-sS",
                            "-x",
                            "http://127.0.0.1:" + proxy.port(),
                            "http://api.test:" + http.port() + "/hello?x=1");
                    System.out.println(out);
                    out = run(
                            "curl",
                            "-sS",
                            "-p",
                            "-x",
                            "http://127.0.0.1:" + proxy.port(),
                            "http://api.test:" + http.port() + "/tunnel");
                    System.out.println(out);
                    out = run(
                            "curl",
                            "-sS",
                            "-x",
                            "http://127.0.0.1:" + proxy.port(),
                            "http://other.test:" + http.port() + "/x");
                    System.out.println(out);
                    proxy.replacePolicy(
                            new ScriptedPolicy("/usr/bin/curl", "api.test", https.port(), true, Set.of("GET")), 2);
                    out = run(
                            "curl",
                            "-sS",
                            "--cacert",
                            caFile.toString(),
                            "-x",
                            "http://127.0.0.1:" + proxy.port(),
                            "https://api.test:" + https.port() + "/l7",
                            "https://api.test:" + https.port() + "/l7b",
                            "-X",
                            "POST");
                    System.out.println(out);
                    out = run(
                            "curl",
                            "-sS",
                            "--cacert",
                            caFile.toString(),
                            "-x",
                            "http://127.0.0.1:" + proxy.port(),
                            "https://api.test:" + https.port() + "/l7",
                            "https://api.test:" + https.port() + "/l7b");
                    System.out.println(out);
                    sink.forEach(System.out::println);
                    assertThat(out).contains("GET /l7b");
                } finally {
                    proxy.close();
                }
            }
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }
}
