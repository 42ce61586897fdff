package dev.openshell.sandbox.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UidAllocatorTest {

    /** Above the kernel's PID_MAX_LIMIT (2^22): no process can have it. */
    private static final long DEAD_PID = (1L << 22) + 1;

    @TempDir
    Path stateDir;

    @Test
    void claimsAnIdOfTheBlockNamingTheOwner() throws Exception {
        UidAllocator allocator = new UidAllocator(stateDir);

        UidClaim claim = allocator.claim("sb-1");

        assertThat(UidAllocator.reserved(claim.uid())).isTrue();
        assertThat(claim.gid()).isEqualTo(claim.uid());
        assertThat(claim.ownerAlive()).isTrue();
        assertThat(Files.readString(allocator.lockFile(claim.uid())))
                .contains("sandbox=sb-1", "pid=" + ProcessHandle.current().pid());
        assertThat(allocator.claims()).containsExactly(claim);
    }

    @Test
    void concurrentClaimsGetDistinctIds() throws Exception {
        UidAllocator first = new UidAllocator(stateDir);
        UidAllocator second = new UidAllocator(stateDir);
        List<Future<UidClaim>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 300; i++) {
                UidAllocator allocator = i % 2 == 0 ? first : second;
                String id = "sb-" + i;
                futures.add(pool.submit(() -> allocator.claim(id)));
            }
        }
        Set<Integer> uids = new HashSet<>();
        for (Future<UidClaim> future : futures) {
            uids.add(future.get().uid());
        }

        assertThat(uids).hasSize(300);
        assertThat(first.claims()).hasSize(300);
    }

    @Test
    void releaseFreesTheIdAndLeavesAnotherOwnersClaimAlone() throws Exception {
        UidAllocator allocator = new UidAllocator(stateDir);
        UidClaim mine = allocator.claim("sb-a");
        Files.delete(allocator.lockFile(mine.uid()));
        UidClaim theirs =
                new UidClaim(mine.uid(), "sb-b", ProcessHandle.current().pid(), 0);
        Files.writeString(allocator.lockFile(mine.uid()), theirs.format());

        allocator.release(mine);
        assertThat(allocator.claims()).containsExactly(theirs);

        allocator.release(theirs);
        assertThat(allocator.claims()).isEmpty();
    }

    @Test
    void aClaimOfADeadOwnerIsStale() {
        UidAllocator allocator = new UidAllocator(stateDir);

        UidClaim claim = allocator.claim("sb-dead", DEAD_PID, 0);

        assertThat(claim.ownerAlive()).isFalse();
    }

    @Test
    void idsOutsideTheBlockAreNotReserved() {
        assertThat(UidAllocator.reserved(UidAllocator.FIRST - 1)).isFalse();
        assertThat(UidAllocator.reserved(UidAllocator.FIRST)).isTrue();
        assertThat(UidAllocator.reserved(UidAllocator.FIRST + UidAllocator.COUNT - 1))
                .isTrue();
        assertThat(UidAllocator.reserved(UidAllocator.FIRST + UidAllocator.COUNT))
                .isFalse();
        assertThatThrownBy(() -> new UidClaim(1000, "sb-x", 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void garbledLockFilesAreNotClaims() throws Exception {
        UidAllocator allocator = new UidAllocator(stateDir);
        Files.writeString(stateDir.resolve(UidAllocator.FIRST + ".lock"), "uid=12\nsandbox=x\npid=1\n");
        Files.writeString(stateDir.resolve((UidAllocator.FIRST + 1) + ".lock"), "");
        Files.writeString(stateDir.resolve("notes.txt"), "uid=" + (UidAllocator.FIRST + 2));

        assertThat(allocator.claims()).isEmpty();
    }
}
