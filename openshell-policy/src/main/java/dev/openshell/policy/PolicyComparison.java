package dev.openshell.policy;

import dev.openshell.policy.PolicyDiff.Change;
import dev.openshell.policy.PolicyDiff.Kind;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Computes a {@link PolicyDiff}: static sections field by field, network policies per key and,
 * inside a policy present in both, per endpoint and binary.
 *
 * <p>What is compared is what decides: the order of map keys, of paths in {@code read_only} /
 * {@code read_write}, of binaries, of endpoints and of rules inside an endpoint is not a change
 * (see {@link EndpointText}). An endpoint whose identity (host, ports, protocol) is found on both
 * sides with other settings is reported as one {@code CHANGED} entry.
 */
final class PolicyComparison {

    private PolicyComparison() {}

    static PolicyDiff compare(Policy before, Policy after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        return new PolicyDiff(staticChanges(before, after), networkChanges(before, after));
    }

    private static List<Change> staticChanges(Policy b, Policy a) {
        List<Change> out = new ArrayList<>();
        scalar(out, "version", b.version(), a.version());
        scalar(
                out,
                "filesystem_policy.include_workdir",
                b.filesystem().includeWorkdir(),
                a.filesystem().includeWorkdir());
        items(
                out,
                "filesystem_policy.read_only",
                b.filesystem().readOnly(),
                a.filesystem().readOnly());
        items(
                out,
                "filesystem_policy.read_write",
                b.filesystem().readWrite(),
                a.filesystem().readWrite());
        scalar(
                out,
                "filesystem_policy.exec_from_writable",
                b.filesystem().execFromWritable(),
                a.filesystem().execFromWritable());
        scalar(
                out,
                "landlock.compatibility",
                b.landlock().compatibility().yaml(),
                a.landlock().compatibility().yaml());
        scalar(out, "process.run_as_user", b.process().runAsUser(), a.process().runAsUser());
        scalar(
                out,
                "process.run_as_group",
                b.process().runAsGroup(),
                a.process().runAsGroup());
        return out;
    }

    private static List<Change> networkChanges(Policy b, Policy a) {
        List<Change> out = new ArrayList<>();
        Map<String, NetworkPolicy> before = b.networkPolicies();
        Map<String, NetworkPolicy> after = a.networkPolicies();
        for (NetworkPolicy old : before.values()) {
            String path = "network_policies." + old.key();
            NetworkPolicy now = after.get(old.key());
            if (now == null) {
                out.add(new Change(path, Kind.REMOVED, EndpointText.policy(old), null));
            } else {
                policyChanges(out, path, old, now);
            }
        }
        for (NetworkPolicy now : after.values()) {
            if (!before.containsKey(now.key())) {
                out.add(new Change("network_policies." + now.key(), Kind.ADDED, null, EndpointText.policy(now)));
            }
        }
        return out;
    }

    private static void policyChanges(List<Change> out, String path, NetworkPolicy old, NetworkPolicy now) {
        if (!Objects.equals(old.name(), now.name())) {
            Kind kind = old.name() == null ? Kind.ADDED : now.name() == null ? Kind.REMOVED : Kind.CHANGED;
            out.add(new Change(path + ".name", kind, old.name(), now.name()));
        }
        endpointChanges(out, path + ".endpoints", old.endpoints(), now.endpoints());
        items(out, path + ".binaries", paths(old.binaries()), paths(now.binaries()));
    }

    private static void endpointChanges(List<Change> out, String path, List<Endpoint> old, List<Endpoint> now) {
        List<Endpoint> removed = minus(old, now, EndpointText::endpoint);
        List<Endpoint> added = minus(now, old, EndpointText::endpoint);
        for (Endpoint r : removed) {
            Endpoint counterpart = added.stream()
                    .filter(x -> EndpointText.identity(x).equals(EndpointText.identity(r)))
                    .findFirst()
                    .orElse(null);
            if (counterpart != null) {
                added.remove(counterpart);
                out.add(new Change(path, Kind.CHANGED, EndpointText.endpoint(r), EndpointText.endpoint(counterpart)));
            } else {
                out.add(new Change(path, Kind.REMOVED, EndpointText.endpoint(r), null));
            }
        }
        for (Endpoint x : added) {
            out.add(new Change(path, Kind.ADDED, null, EndpointText.endpoint(x)));
        }
    }

    /** Set difference on the canonical text, keeping the order of {@code from}. */
    private static <T> List<T> minus(List<T> from, List<T> other, Function<T, String> text) {
        Set<String> there = new LinkedHashSet<>();
        other.forEach(x -> there.add(text.apply(x)));
        Set<String> seen = new LinkedHashSet<>();
        List<T> out = new ArrayList<>();
        for (T x : from) {
            String t = text.apply(x);
            if (!there.contains(t) && seen.add(t)) {
                out.add(x);
            }
        }
        return out;
    }

    private static void items(List<Change> out, String path, List<String> old, List<String> now) {
        for (String r : minus(old, now, Function.identity())) {
            out.add(new Change(path, Kind.REMOVED, r, null));
        }
        for (String x : minus(now, old, Function.identity())) {
            out.add(new Change(path, Kind.ADDED, null, x));
        }
    }

    private static void scalar(List<Change> out, String path, Object old, Object now) {
        if (!old.equals(now)) {
            out.add(new Change(path, Kind.CHANGED, String.valueOf(old), String.valueOf(now)));
        }
    }

    private static List<String> paths(List<BinaryRef> binaries) {
        return binaries.stream().map(BinaryRef::path).toList();
    }
}
