package dev.openshell.sandbox.proxy;

import dev.openshell.policy.CompiledPolicy;
import dev.openshell.policy.Decision;
import dev.openshell.policy.L4Request;
import dev.openshell.policy.L7Request;
import dev.openshell.policy.Layer;
import dev.openshell.policy.Policy;
import dev.openshell.policy.Verdict;
import java.util.List;
import java.util.Set;

/** Temporary test double until the engine lands: allow binary to host:port, optionally only some L7 methods. */
record ScriptedPolicy(String binary, String host, int port, boolean inspect, Set<String> methods)
        implements CompiledPolicy {

    @Override
    public Policy source() {
        return Policy.denyAll();
    }

    @Override
    public Decision evaluate(L4Request r) {
        if (r.addresses().stream().anyMatch(a -> a.isLoopbackAddress())) {
            return new Decision(
                    Verdict.DENY, Layer.L4, null, -1, "destination-guard", r.host() + " is loopback", false, null);
        }
        boolean bin = r.binary().equals(binary) || r.ancestors().contains(binary);
        if (bin && r.host().equals(host) && r.port() == port) {
            return new Decision(Verdict.ALLOW, Layer.L4, "test", 0, "endpoints[0]", "ok", inspect, null);
        }
        return new Decision(
                Verdict.DENY,
                Layer.L4,
                null,
                -1,
                null,
                "no policy allows " + r.binary() + " to reach " + r.host() + ":" + r.port(),
                false,
                "--add-endpoint " + r.host() + ":" + r.port() + " --binary " + r.binary());
    }

    @Override
    public Decision evaluate(L7Request r) {
        Decision l4 = evaluate(r.connection());
        if (!l4.permits() || !inspect || methods.contains(r.method())) {
            return new Decision(
                    l4.verdict(), Layer.L7, l4.policy(), 0, l4.rule(), l4.reason(), inspect, l4.suggestion());
        }
        return new Decision(
                Verdict.DENY, Layer.L7, "test", 0, "access: read-only", r.method() + " not allowed", true, null);
    }

    static List<String> none() {
        return List.of();
    }
}
