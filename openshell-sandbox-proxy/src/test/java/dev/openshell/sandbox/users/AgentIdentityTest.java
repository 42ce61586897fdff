package dev.openshell.sandbox.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.ProcessPolicy;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AgentIdentityTest {

    private static final UidClaim CLAIM = new UidClaim(UidAllocator.FIRST + 7, "sb-1", 1, 0);
    private static final Map<String, String> HOST = Map.of(
            "passwd alice", "alice:x:1000:1000:Alice:/home/alice:/bin/bash",
            "passwd toor", "toor:x:0:0::/root:/bin/sh",
            "group users", "users:x:100:",
            "group wheel", "wheel:x:0:");
    private static final Function<String, String> LOOKUP = HOST::get;

    @Test
    void theDefaultIsTheSandboxsOwnUidAndGid() {
        AgentIdentity identity = AgentIdentity.resolve(ProcessPolicy.DEFAULT, CLAIM, LOOKUP);

        assertThat(identity).isEqualTo(new AgentIdentity(CLAIM.uid(), CLAIM.gid(), "sandbox", true));
        assertThat(identity.numeric()).isEqualTo(new ProcessPolicy("200007", "200007"));
    }

    @Test
    void aNamedUserIsTheOperatorsChoiceWithTheSandboxsOwnGroupByDefault() {
        AgentIdentity identity = AgentIdentity.resolve(new ProcessPolicy("alice", "sandbox"), CLAIM, LOOKUP);

        assertThat(identity).isEqualTo(new AgentIdentity(1000, CLAIM.gid(), "alice", false));
    }

    @Test
    void namesAndNumbersResolve() {
        assertThat(AgentIdentity.resolve(new ProcessPolicy("1234", "users"), CLAIM, LOOKUP))
                .isEqualTo(new AgentIdentity(1234, 100, "1234", false));
    }

    @Test
    void unknownNamesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> AgentIdentity.resolve(new ProcessPolicy("mallory", "sandbox"), CLAIM, LOOKUP))
                .hasMessageContaining("process.run_as_user")
                .hasMessageContaining("mallory")
                .extracting("code")
                .isEqualTo(ErrorCode.PROCESS_USER_UNKNOWN);
        assertThatThrownBy(() -> AgentIdentity.resolve(new ProcessPolicy("sandbox", "nogroup"), CLAIM, LOOKUP))
                .hasMessageContaining("process.run_as_group");
    }

    @Test
    void anotherSandboxsIdIsRefused() {
        String neighbour = Integer.toString(UidAllocator.FIRST + 8);

        assertThatThrownBy(() -> AgentIdentity.resolve(new ProcessPolicy(neighbour, "sandbox"), CLAIM, LOOKUP))
                .hasMessageContaining("per-sandbox ids")
                .extracting("code")
                .isEqualTo(ErrorCode.PROCESS_USER_RESERVED);
        assertThatThrownBy(() -> AgentIdentity.resolve(new ProcessPolicy("sandbox", neighbour), CLAIM, LOOKUP))
                .hasMessageContaining("process.run_as_group");
    }

    @Test
    void rootByAnyNameIsRefused() {
        assertThatThrownBy(() -> AgentIdentity.resolve(new ProcessPolicy("toor", "sandbox"), CLAIM, LOOKUP))
                .extracting("code")
                .isEqualTo(ErrorCode.PROCESS_USER_RESERVED);
        assertThatThrownBy(() -> AgentIdentity.resolve(new ProcessPolicy("sandbox", "wheel"), CLAIM, LOOKUP))
                .extracting("code")
                .isEqualTo(ErrorCode.PROCESS_USER_RESERVED);
        assertThatThrownBy(() -> AgentIdentity.resolve(new ProcessPolicy("sandbox", "99999999999"), CLAIM, LOOKUP))
                .extracting("code")
                .isEqualTo(ErrorCode.PROCESS_USER_RESERVED);
    }
}
