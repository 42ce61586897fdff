package dev.openshell.sandbox.users;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hands out per-sandbox uids without collisions across threads and processes: uid {@code N} is
 * taken by whoever creates {@code <stateDir>/<N>.lock}, written to a private temporary file first
 * and hard-linked into place so it appears atomically with its content (as the subnet claims are).
 *
 * <p>The search starts at a random id of the block, so an id just released is unlikely to be
 * handed out again at once (files a sandbox left in a host path it could write stay owned by its
 * id). An id that an account or group in {@code /etc/passwd} / {@code /etc/group} uses, or that a
 * running process has, is skipped.
 */
public final class UidAllocator {

    /** Where claims live on a host; every process must use the same directory. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/run/openshell/uids");

    /** The first id of the block; above the usual account (1000+) and subordinate (100000+) ranges' start. */
    public static final int FIRST = 200_000;

    /** How many ids the block holds (as many as there are sandbox subnets). */
    public static final int COUNT = 1 << 14;

    private static final Pattern LOCK_NAME = Pattern.compile("(\\d+)\\.lock");
    private static final Path PROC = Path.of("/proc");

    private final Path stateDir;

    public UidAllocator(Path stateDir) {
        this.stateDir = stateDir.toAbsolutePath();
    }

    /** Whether {@code id} lies in the per-sandbox block (never a valid explicit {@code run_as_*}). */
    public static boolean reserved(long id) {
        return id >= FIRST && id < FIRST + COUNT;
    }

    /** Claims a free uid for {@code sandboxId}, owned by this process. */
    public UidClaim claim(String sandboxId) {
        ProcessHandle self = ProcessHandle.current();
        return claim(sandboxId, self.pid(), UidClaim.startMillis(self));
    }

    /** Claims with an explicit owner record; tests use it to fake a dead owner. */
    UidClaim claim(String sandboxId, long ownerPid, long ownerStartMillis) {
        createStateDir();
        Set<Integer> inUse = hostIds();
        int start = ThreadLocalRandom.current().nextInt(COUNT);
        for (int i = 0; i < COUNT; i++) {
            int uid = FIRST + (start + i) % COUNT;
            Path lock = lockFile(uid);
            if (inUse.contains(uid) || Files.exists(lock)) {
                continue;
            }
            UidClaim claim = new UidClaim(uid, sandboxId, ownerPid, ownerStartMillis);
            if (tryLink(lock, claim)) {
                return claim;
            }
        }
        throw new UsersException(
                ErrorCode.UID_EXHAUSTED,
                "all " + COUNT + " per-sandbox uids from " + FIRST + " are claimed or in use (" + stateDir + ")");
    }

    /** Deletes the claim's lock file if it still holds this claim (a reclaimed one may not). */
    public void release(UidClaim claim) {
        Path lock = lockFile(claim.uid());
        if (read(lock).filter(claim::equals).isPresent()) {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                throw stateFailure("cannot delete " + lock, e);
            }
        }
    }

    /** Every readable claim, by uid. */
    public List<UidClaim> claims() {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        List<UidClaim> claims = new ArrayList<>();
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path file : files.toList()) {
                if (LOCK_NAME.matcher(file.getFileName().toString()).matches()) {
                    read(file).ifPresent(claims::add);
                }
            }
        } catch (IOException e) {
            throw stateFailure("cannot list " + stateDir, e);
        }
        claims.sort(Comparator.comparingInt(UidClaim::uid));
        return claims;
    }

    Path lockFile(int uid) {
        return stateDir.resolve(uid + ".lock");
    }

    /** Ids of the block that the account databases or a running process use. */
    static Set<Integer> hostIds() {
        Set<Integer> ids = new HashSet<>();
        accountIds(Path.of("/etc/passwd"), ids);
        accountIds(Path.of("/etc/group"), ids);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    int uid = (Integer) Files.getAttribute(entry, "unix:uid");
                    if (reserved(uid)) {
                        ids.add(uid);
                    }
                } catch (IOException | UncheckedIOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: the lock files alone decide
        }
        return ids;
    }

    private static void accountIds(Path database, Set<Integer> ids) {
        try (Stream<String> lines = Files.lines(database)) {
            lines.forEach(line -> {
                String[] fields = line.split(":", -1);
                if (fields.length > 2) {
                    try {
                        long id = Long.parseLong(fields[2]);
                        if (reserved(id)) {
                            ids.add((int) id);
                        }
                    } catch (NumberFormatException e) {
                        // a malformed line names no id
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // unreadable: nothing to skip
        }
    }

    private boolean tryLink(Path lock, UidClaim claim) {
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
                // a leftover temporary file is harmless
            }
        }
    }

    private Optional<UidClaim> read(Path lock) {
        try {
            return UidClaim.parse(Files.readString(lock));
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
            // Only the claim directory itself is private; its parents are the caller's business.
            Files.createDirectories(stateDir.getParent());
            Files.createDirectory(
                    stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // a concurrent claim made it
        } catch (IOException e) {
            throw stateFailure("cannot create " + stateDir, e);
        }
    }

    private static UsersException stateFailure(String message, Exception cause) {
        return new UsersException(ErrorCode.UID_STATE_FAILED, message + ": " + cause.getMessage(), cause);
    }
}
