package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.testkit.RequiresRoot;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Adds throwaway system users (so the real {@code sandbox} account is left alone). */
@RequiresRoot
class SandboxUserIT {

    private final String name = "osit" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void removeUser() {
        Launched.run(List.of("userdel", name));
        Launched.run(List.of("groupdel", name));
    }

    @Test
    void addsAMissingUserWithItsOwnGroupOnceAndOnlyOnce() {
        SandboxUser.ensureExists(name);
        SandboxUser.ensureExists(name);

        Launched passwd = Launched.run(List.of("getent", "passwd", name));
        assertThat(passwd.stdout()).endsWith(":/nonexistent:/usr/sbin/nologin\n");
        Launched id = Launched.run(List.of("id", "-gn", name));
        assertThat(id.stdout().strip()).isEqualTo(name);
        assertThat(Launched.run(List.of("id", "-u", name)).stdout().strip()).isNotEqualTo("0");
    }

    @Test
    void joinsAnExistingGroupOfTheSameName() {
        assertThat(Launched.run(List.of("groupadd", "--system", name)).exitCode())
                .isZero();

        SandboxUser.ensureExists(name);

        assertThat(Launched.run(List.of("id", "-gn", name)).stdout().strip()).isEqualTo(name);
    }
}
