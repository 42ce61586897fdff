package dev.openshell.sandbox.net;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hands out {@link Subnet}s without collisions across threads and processes: subnet {@code N} is
 * taken by whoever creates {@code <stateDir>/<N>.lock}. The claim is written to a private temporary
 * file first and then hard-linked into place, so the lock appears atomically with its full content
 * (a bare create-then-write would let a concurrent reader see an empty claim). Every process on a
 * host must use the same state directory; as a second guard, an index whose host-side interface
 * already exists is skipped.
 */
public final class SubnetAllocator {

    private static final Pattern LOCK_NAME = Pattern.compile("(\\d+)\\.lock");
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");
    private static final String MUTEX_NAME = "reclaim.mutex";

    /** Java file locks belong to the whole JVM, so threads also need an in-process lock. */
    private static final ReentrantLock JVM_MUTEX = new ReentrantLock();

    private final Path stateDir;

    public SubnetAllocator(Path stateDir) {
        this.stateDir = stateDir.toAbsolutePath();
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Claims the lowest free subnet for {@code sandboxId}, owned by this process. */
    public SubnetClaim claim(String sandboxId) {
        return claim(sandboxId, ProcessHandle.current());
    }

    /** Claims the lowest free subnet for {@code sandboxId}, stale once {@code owner} has exited. */
    public SubnetClaim claim(String sandboxId, ProcessHandle owner) {
        SubnetClaim.requireValidId(sandboxId);
        return claim(sandboxId, owner.pid(), SubnetClaim.startMillis(owner));
    }

    /** Claims with an explicit owner record; tests use it to fake a dead owner. */
    SubnetClaim claim(String sandboxId, long ownerPid, long ownerStartMillis) {
        SubnetClaim.requireValidId(sandboxId);
        createStateDir();
        for (int index = 0; index < Subnet.COUNT; index++) {
            Subnet subnet = new Subnet(index);
            Path lock = lockFile(subnet);
            if (Files.exists(lock) || Files.exists(SYS_CLASS_NET.resolve(subnet.hostInterface()))) {
                continue;
            }
            SubnetClaim claim = new SubnetClaim(subnet, sandboxId, ownerPid, ownerStartMillis);
            if (tryLink(lock, claim)) {
                return claim;
            }
        }
        throw new NetworkException(
                ErrorCode.SUBNET_EXHAUSTED,
                "all " + Subnet.COUNT + " sandbox subnets in 10.200.0.0/16 are claimed in " + stateDir);
    }

    /** Deletes the claim's lock file if it still holds this claim (a reclaimed one may not). */
    public void release(SubnetClaim claim) {
        Path lock = lockFile(claim.subnet());
        if (read(lock).filter(claim::equals).isPresent()) {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                throw stateFailure("cannot delete " + lock, e);
            }
        }
    }

    /** Every readable claim, by subnet index. */
    public List<SubnetClaim> claims() {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        List<SubnetClaim> claims = new ArrayList<>();
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path file : files.toList()) {
                if (LOCK_NAME.matcher(file.getFileName().toString()).matches()) {
                    read(file).ifPresent(claims::add);
                }
            }
        } catch (IOException e) {
            throw stateFailure("cannot list " + stateDir, e);
        }
        claims.sort(Comparator.comparingInt(claim -> claim.subnet().index()));
        return claims;
    }

    /** Deletes temporary claim files a killed process left between writing and linking. */
    void deleteLeftoverTemporaries() {
        if (!Files.isDirectory(stateDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw stateFailure("cannot clean " + stateDir, e);
        }
    }

    /**
     * Runs {@code action} while holding the state directory's reclaim lock, so two processes never
     * tear down the same stale claim while a third reuses its subnet.
     */
    <T> T exclusively(Supplier<T> action) {
        createStateDir();
        JVM_MUTEX.lock();
        try (FileChannel channel = FileChannel.open(
                        stateDir.resolve(MUTEX_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return action.get();
        } catch (IOException e) {
            throw stateFailure("cannot lock " + stateDir.resolve(MUTEX_NAME), e);
        } finally {
            JVM_MUTEX.unlock();
        }
    }

    Path lockFile(Subnet subnet) {
        return stateDir.resolve(subnet.index() + ".lock");
    }

    private boolean tryLink(Path lock, SubnetClaim claim) {
        Path temporary = stateDir.resolve(".claim-" + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temporary, claim.format());
            Files.createLink(lock, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw stateFailure("cannot claim " + lock, e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // A leftover temporary file is harmless; cleanupAll removes it.
            }
        }
    }

    private Optional<SubnetClaim> read(Path lock) {
        try {
            return SubnetClaim.parse(Files.readString(lock));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            throw stateFailure("cannot read " + lock, e);
        }
    }

    private void createStateDir() {
        if (Files.isDirectory(stateDir)) {
            return;
        }
        try {
            Files.createDirectories(
                    stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw stateFailure("cannot create " + stateDir, e);
        }
    }

    private static NetworkException stateFailure(String message, Exception cause) {
        return new NetworkException(ErrorCode.NETWORK_STATE_FAILED, message + ": " + cause.getMessage(), cause);
    }
}
