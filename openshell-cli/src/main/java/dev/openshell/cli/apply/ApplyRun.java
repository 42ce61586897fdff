package dev.openshell.cli.apply;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.ExitStatus;
import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.cli.apply.ApplyOutcome.Entry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out an apply plan in order (providers, then sandboxes, then what {@code --prune}
 * removes). A step that fails is reported and the others still run, as {@code kubectl apply}
 * does; losing the gateway or the right to use it stops the run.
 */
final class ApplyRun {

    private final GatewayClient gw;
    private final Duration policyWait;
    private final List<Entry> entries = new ArrayList<>();
    private int exitCode;

    ApplyRun(GatewayClient gw, Duration policyWait) {
        this.gw = gw;
        this.policyWait = policyWait;
    }

    List<Entry> entries() {
        return entries;
    }

    /** 0 when the gateway now matches the file; else the first failure's exit status, or 4 for drift. */
    int exitCode() {
        return exitCode;
    }

    void carryOut(List<Change> plan) {
        for (Change c : plan) {
            try {
                entries.add(step(c));
            } catch (ApiException e) {
                if (fatal(e.code())) {
                    throw e;
                }
                entries.add(new Entry(
                        c.kind(),
                        c.name(),
                        "failed",
                        SafeText.oneLine(e.problem().detail(), 500)));
                fail(e.exitCode());
            }
        }
    }

    /** What carrying out {@code plan} would do, without writing. */
    void describe(List<Change> plan) {
        for (Change c : plan) {
            entries.add(
                    switch (c) {
                        case Change.CreateProvider p ->
                            entry(
                                    c,
                                    "created",
                                    "credentials "
                                            + keys(p.request().credentials().keySet()));
                        case Change.ReplaceProvider p -> entry(c, "replaced", p.differences() + " differ");
                        case Change.CreateSandbox s -> entry(c, "created", null);
                        case Change.SetPolicy p -> entry(c, "updated", networkChanges(p));
                        case Change.DeleteSandbox d -> entry(c, "deleted", "not in the file");
                        default -> quiet(c);
                    });
        }
    }

    private Entry step(Change c) {
        return switch (c) {
            case Change.CreateProvider p -> {
                Provider made = gw.providers().create(p.request(), RequestOptions.idempotent());
                yield entry(c, "created", "credentials " + keys(made.credentialKeys()));
            }
            case Change.ReplaceProvider p -> {
                gw.providers().replace(p.request(), RequestOptions.NONE);
                yield entry(c, "replaced", p.differences() + " differed");
            }
            case Change.CreateSandbox s -> created(gw.sandboxes().create(s.request(), RequestOptions.idempotent()));
            case Change.SetPolicy p -> policy(p);
            case Change.DeleteSandbox d -> {
                gw.sandboxes().delete(d.name());
                yield entry(c, "deleted", "not in the file (--prune)");
            }
            default -> quiet(c);
        };
    }

    private Entry created(Sandbox s) {
        if (s.phase() == SandboxPhase.ERROR) {
            fail(ExitStatus.SANDBOX_FAILED.code());
            return new Entry("sandbox", s.name(), "failed", SafeText.oneLine(s.reason(), 500));
        }
        if (s.phase() != SandboxPhase.READY && s.exitCode() == null) {
            fail(ExitStatus.TIMEOUT.code());
            return new Entry("sandbox", s.name(), "failed", "still " + s.phase() + " after the gateway's wait");
        }
        return new Entry("sandbox", s.name(), "created", s.phase() == SandboxPhase.READY ? "Ready" : null);
    }

    private Entry policy(Change.SetPolicy p) {
        PolicyRevision written = gw.policies().set(p.name(), new PolicySetRequest(p.policyYaml()), RequestOptions.NONE);
        PolicyRevision result = written.status() == RevisionStatus.LOADED
                ? written
                : gw.policies().awaitLoaded(p.name(), written.number(), policyWait);
        return entry(p, "updated", "policy revision " + result.number() + " loaded (" + networkChanges(p) + ")");
    }

    private Entry quiet(Change c) {
        return switch (c) {
            case Change.Drifted d -> {
                fail(ExitStatus.CONFLICT.code());
                yield entry(
                        c,
                        "drifted",
                        d.differences() + " cannot change in place: openshell sandbox delete " + d.name()
                                + ", then apply again");
            }
            case Change.Kept k -> entry(c, "kept", "not in the file (--prune deletes it)");
            default -> entry(c, "unchanged", null);
        };
    }

    private void fail(int code) {
        if (exitCode == 0 || exitCode == ExitStatus.CONFLICT.code()) {
            exitCode = code;
        }
    }

    private static boolean fatal(ErrorCode code) {
        ExitStatus status = code.exitStatus();
        return status == ExitStatus.UNAVAILABLE || status == ExitStatus.NOT_PERMITTED;
    }

    private static Entry entry(Change c, String result, String detail) {
        return new Entry(c.kind(), c.name(), result, detail);
    }

    private static String networkChanges(Change.SetPolicy p) {
        return p.changes() + " network policy change" + (p.changes() == 1 ? "" : "s");
    }

    private static String keys(java.util.Collection<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }
}
