package dev.openshell.sandbox.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.sandbox.cgroup.ResourceLimits;
import dev.openshell.sandbox.error.SandboxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxSpecTest {

    @Test
    void readsEveryFieldFromJson() {
        SandboxSpec spec = SandboxSpec.parse("""
                {"id": "sb-demo", "workdir": "/srv/work", "agent_workdir": "/tmp/work",
                 "command": ["sh", "-c", "echo hi"], "env": {"A": "1", "N": 2},
                 "policy_file": "/etc/p.yaml", "state_dir": "/var/lib/demo", "tty": true,
                 "extra_upstream_ca": "/etc/ca.pem", "ssh": false}
                """, "spec.json");

        assertThat(spec.id()).isEqualTo("sb-demo");
        assertThat(spec.workdir()).isEqualTo(Path.of("/srv/work"));
        assertThat(spec.agentWorkdir()).isEqualTo(Path.of("/tmp/work"));
        assertThat(spec.command()).containsExactly("sh", "-c", "echo hi");
        assertThat(spec.env()).isEqualTo(Map.of("A", "1", "N", "2"));
        assertThat(spec.policyFile()).isEqualTo(Path.of("/etc/p.yaml"));
        assertThat(spec.stateDir()).isEqualTo(Path.of("/var/lib/demo"));
        assertThat(spec.keepState()).isTrue();
        assertThat(spec.tty()).isTrue();
        assertThat(spec.extraUpstreamCa()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(spec.ssh()).isFalse();
    }

    @Test
    void defaultsAreARandomIdADefaultStateDirRemovedAtTheEndAndSsh() {
        SandboxSpec spec = SandboxSpec.parse("{\"command\": [\"true\"]}", "spec.json");

        assertThat(spec.id()).matches("sb-[a-z0-9]{6}");
        assertThat(spec.stateDir()).isEqualTo(SandboxSpec.SANDBOXES_ROOT.resolve(spec.id()));
        assertThat(spec.keepState()).isFalse();
        assertThat(spec.workdir()).isNull();
        assertThat(spec.ssh()).isTrue();
        assertThat(spec.tty()).isFalse();
    }

    @Test
    void readsResourceLimitsAsSizesOrNumbers() {
        SandboxSpec spec = SandboxSpec.parse("""
                {"command": ["true"],
                 "resources": {"memory": "512m", "cpus": 1.5, "pids": 256, "tmp_size": 67108864}}
                """, "spec.json");
        SandboxSpec partial =
                SandboxSpec.parse("{\"command\": [\"true\"], \"resources\": {\"pids\": 64}}", "spec.json");

        assertThat(spec.resources()).isEqualTo(new ResourceLimits(512L << 20, 1.5, 256, 64L << 20));
        assertThat(partial.resources()).isEqualTo(ResourceLimits.DEFAULT.withPids(64));
        assertThat(SandboxSpec.parse("{\"command\": [\"true\"]}", "s").resources())
                .isEqualTo(ResourceLimits.DEFAULT);
        assertThat(spec.withId("sb-other").resources()).isEqualTo(spec.resources());
    }

    @Test
    void rejectsResourceLimitsThatCannotWork() {
        Map<String, String> cases = Map.of(
                "{\"memory\": \"lots\"}", "resources.memory: 'lots' is not a size",
                "{\"memory\": \"1m\"}", "below the minimum of 16 MiB",
                "{\"pids\": 1.5}", "resources.pids must be a whole number",
                "{\"pids\": 3}", "pids 3 is below the minimum",
                "{\"cpus\": \"all\"}", "resources.cpus must be a number",
                "{\"swap\": 1}", "unknown key 'resources.swap'",
                "[1]", "'resources' must be an object",
                "{\"memory\": \"64m\", \"tmp_size\": \"1g\"}", "above the memory limit");
        cases.forEach((resources, message) -> assertThatThrownBy(
                        () -> SandboxSpec.parse("{\"command\": [\"x\"], \"resources\": " + resources + "}", "s"))
                .as(resources)
                .isInstanceOfSatisfying(
                        SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SPEC_INVALID))
                .hasMessageContaining(message));
    }

    @Test
    void theDefaultPolicyHasNoNetworkAndAReadOnlySystem() {
        Policy policy = SandboxSpec.of(null, List.of("true")).policy();

        assertThat(policy.networkPolicies()).isEmpty();
        assertThat(policy.filesystem().readOnly()).containsExactly("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc");
        assertThat(policy.filesystem().readWrite()).containsExactly("/tmp");
        assertThat(policy.filesystem().includeWorkdir()).isTrue();
        assertThat(policy.landlock().compatibility()).isEqualTo(LandlockPolicy.Compatibility.BEST_EFFORT);
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThatThrownBy(() -> SandboxSpec.parse("{\"command\": []}", "s")).hasMessageContaining("command is empty");
        assertThatThrownBy(() -> SandboxSpec.parse("{\"command\": [\"x\"], \"comand\": 1}", "s"))
                .hasMessageContaining("unknown key 'comand'");
        assertThatThrownBy(() -> SandboxSpec.parse("{\"command\": [\"x\"], \"workdir\": \"rel\"}", "s"))
                .hasMessageContaining("workdir must be an absolute path");
        assertThatThrownBy(() -> SandboxSpec.parse("{\"command\": [\"x\"], \"state_dir\": \"/tmp/s\"}", "s"))
                .hasMessageContaining("under /tmp");
        assertThatThrownBy(() -> SandboxSpec.parse("{\"command\": [\"x\"], \"id\": \"../x\"}", "s"))
                .hasMessageContaining("sandbox id");
        assertThatThrownBy(() -> SandboxSpec.parse(
                        "{\"command\": [\"x\"], \"policy\": \"version: 1\", \"policy_file\": \"/p\"}", "s"))
                .hasMessageContaining("either policy_file or policy");
        assertThatThrownBy(() -> SandboxSpec.parse("[1, 2]", "s")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> SandboxSpec.parse("{\"command\": [\"x\"], \"id\": \"sb-a\", \"id\": \"sb-b\"}", "s"))
                .hasMessageContaining("s:1:")
                .hasMessageContaining("Duplicate Object property \"id\"");
        assertThatThrownBy(() -> SandboxSpec.parse("{\"command\": [\"x\"]} {}", "s"))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> SandboxSpec.parse("command: [x]", "s")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> SandboxSpec.parse("{\"command\": [\"x\"], \"tty\": \"yes\"}", "s"))
                .isInstanceOfSatisfying(
                        SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SPEC_INVALID))
                .hasMessageContaining("'tty' must be true or false");
    }
}
