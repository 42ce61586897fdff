package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.proxy.log.DecisionRecord;
import dev.openshell.sandbox.proxy.log.DecisionSink;

/**
 * Writes every decision to the decision log and reports each denial as a supervisor event too, so
 * {@code openshell run} and {@code openshell-sandbox logs} show why a request failed. Denials of
 * transparently captured connections are reported as bypass findings.
 */
final class DecisionEvents implements DecisionSink {

    private final DecisionSink file;
    private final SandboxLog log;

    DecisionEvents(DecisionSink file, SandboxLog log) {
        this.file = file;
        this.log = log;
    }

    @Override
    public void accept(DecisionRecord r) {
        file.accept(r);
        if ("deny".equals(r.verdict())) {
            // A captured connection that ignored the proxy settings is a bypass attempt, whatever
            // the policy would have said: report it as a finding.
            boolean bypass = "transparent".equals(r.mode());
            StringBuilder text = new StringBuilder(bypass ? "finding: bypass attempt: " : "denied: ");
            text.append(r.binary() == null ? "unknown program" : r.binary());
            if (r.host() != null) {
                // a request refused before it named a destination (a malformed head) has none
                text.append(" -> ").append(r.host()).append(':').append(r.port());
            }
            if (r.path() != null) {
                text.append(' ').append(r.method()).append(' ').append(r.path());
            }
            text.append(" (").append(r.reason()).append(')');
            log.event(text.toString());
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
