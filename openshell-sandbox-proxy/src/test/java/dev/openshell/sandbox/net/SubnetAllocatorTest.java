package dev.openshell.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubnetAllocatorTest {

    /** Above the kernel's PID_MAX_LIMIT (2^22): no process can have it. */
    static final long DEAD_PID = (1L << 22) + 1;

    @TempDir
    Path stateDir;

    @Test
    void claimWritesALockFileNamingTheOwner() throws Exception {
        SubnetAllocator allocator = new SubnetAllocator(stateDir);

        SubnetClaim claim = allocator.claim("sb-1");

        assertThat(claim.sandboxId()).isEqualTo("sb-1");
        assertThat(claim.ownerPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(claim.ownerAlive()).isTrue();
        assertThat(Files.readString(allocator.lockFile(claim.subnet())))
                .contains("sandbox=sb-1", "pid=" + ProcessHandle.current().pid());
        assertThat(allocator.claims()).containsExactly(claim);
        try (var files = Files.list(stateDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void concurrentClaimsGetDistinctSubnets() throws Exception {
        SubnetAllocator first = new SubnetAllocator(stateDir);
        SubnetAllocator second = new SubnetAllocator(stateDir);
        List<Future<SubnetClaim>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 200; i++) {
                SubnetAllocator allocator = i % 2 == 0 ? first : second;
                String id = "sb-" + i;
                futures.add(pool.submit(() -> allocator.claim(id)));
            }
        }
        Set<Integer> indexes = new java.util.HashSet<>();
        for (Future<SubnetClaim> future : futures) {
            indexes.add(future.get().subnet().index());
        }

        assertThat(indexes).hasSize(200);
        assertThat(first.claims()).hasSize(200);
    }

    @Test
    void releasedSubnetIsFreeAgain() {
        SubnetAllocator allocator = new SubnetAllocator(stateDir);
        SubnetClaim claim = allocator.claim("sb-a");

        allocator.release(claim);

        assertThat(allocator.claims()).isEmpty();
        assertThat(allocator.claim("sb-b").subnet()).isEqualTo(claim.subnet());
    }

    @Test
    void releaseLeavesAnotherOwnersClaimOnTheSameSubnet() throws Exception {
        SubnetAllocator allocator = new SubnetAllocator(stateDir);
        SubnetClaim mine = allocator.claim("sb-a");
        Files.delete(allocator.lockFile(mine.subnet()));
        SubnetClaim theirs = allocator.claim("sb-b");

        allocator.release(mine);

        assertThat(theirs.subnet()).isEqualTo(mine.subnet());
        assertThat(allocator.claims()).containsExactly(theirs);
    }

    @Test
    void claimOfADeadOwnerIsNotAlive() {
        SubnetAllocator allocator = new SubnetAllocator(stateDir);

        SubnetClaim dead = allocator.claim("sb-dead", DEAD_PID, 0);
        SubnetClaim reused =
                allocator.claim("sb-reused", ProcessHandle.current().pid(), 1_000);

        assertThat(dead.ownerAlive()).isFalse();
        assertThat(reused.ownerAlive())
                .as("a live pid that started at another time")
                .isFalse();
        assertThat(allocator.claims()).containsExactly(dead, reused);
    }

    @Test
    void claimFileRoundTrips() {
        SubnetClaim claim = new SubnetClaim(new Subnet(77), "abc_1-X", 42, 1_700_000_000_000L);

        assertThat(SubnetClaim.parse(claim.format())).contains(claim);
        assertThat(SubnetClaim.parse("garbage")).isEmpty();
        assertThat(SubnetClaim.parse("index=99999\nsandbox=a\npid=1\n")).isEmpty();
    }

    @Test
    void idsThatCannotNameANamespaceAreRejected() {
        SubnetAllocator allocator = new SubnetAllocator(stateDir);

        for (String bad : List.of("", "-x", "a b", "a/b", "a.b", "x".repeat(49), "ü")) {
            assertThatThrownBy(() -> allocator.claim(bad))
                    .isInstanceOfSatisfying(
                            NetworkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SANDBOX_ID_INVALID));
        }
        assertThatThrownBy(() -> allocator.claim(null)).isInstanceOf(NetworkException.class);
        assertThat(allocator.claims()).isEmpty();
    }

    @Test
    void claimsIgnoreForeignFiles() throws Exception {
        SubnetAllocator allocator = new SubnetAllocator(stateDir);
        SubnetClaim claim = allocator.claim("sb-1");
        Files.writeString(stateDir.resolve("notes.txt"), "x");
        Files.writeString(stateDir.resolve("12.lock"), "not a claim");

        assertThat(allocator.claims().stream().map(SubnetClaim::sandboxId).collect(Collectors.toList()))
                .containsExactly(claim.sandboxId());
    }
}
