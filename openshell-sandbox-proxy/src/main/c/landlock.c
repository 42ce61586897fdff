/*
 * Landlock filesystem rules.
 *
 * Debian 12's <linux/landlock.h> only knows ABI 1, so the structs and constants used here are
 * defined locally (same layout and values as the kernel's uapi header) instead of including it.
 *
 * Access rights: a read-only path gets EXECUTE | READ_FILE | READ_DIR; a read-write path gets
 * every filesystem right the running kernel can handle (ABI 1 rights, plus REFER from ABI 2,
 * TRUNCATE from ABI 3 and IOCTL_DEV from ABI 5). On ABI 6+ the ruleset is also scoped, so the
 * agent can neither signal processes nor connect to abstract unix sockets outside its domain
 * (other sandboxes share the same uid, so plain uid checks would allow that).
 *
 * Baseline, added to every ruleset because ordinary programs need it (silently skipped when a
 * path does not exist, e.g. /dev/tty in a container):
 *   read-write: /dev/null /dev/zero /dev/full /dev/tty /dev/pts /dev/ptmx /dev/shm
 *   read-only:  /dev/urandom /dev/random /proc
 * In the agent's own root (--private-mounts) every directory may also be listed (READ_DIR on /):
 * that root holds only what the policy shows, so `ls /` or `ls /dev` reveals nothing more.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; /* ABI 4; left 0: network egress is policed by the proxy */
    uint64_t scoped;             /* ABI 6 */
};

struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1

#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_ABI1_ALL ((1ULL << 13) - 1) /* EXECUTE .. MAKE_SYM */
#define LL_FS_REFER (1ULL << 13)          /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14)       /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15)      /* ABI 5 */

#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)               /* ABI 6 */

/* Rights that make sense on a non-directory; the kernel rejects directory rights on files. */
#define LL_FS_FILE_RIGHTS (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)
#define LL_FS_READ_ONLY (LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR)

static const char *const BASELINE_READ_WRITE[] = {
    "/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/pts", "/dev/ptmx", "/dev/shm",
};
static const char *const BASELINE_READ_ONLY[] = {"/dev/urandom", "/dev/random", "/proc"};

int landlock_abi(void) {
    long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : (int)abi;
}

static uint64_t handled_fs_rights(int abi) {
    uint64_t rights = LL_FS_ABI1_ALL;
    if (abi >= 2) rights |= LL_FS_REFER;
    if (abi >= 3) rights |= LL_FS_TRUNCATE;
    if (abi >= 5) rights |= LL_FS_IOCTL_DEV;
    return rights;
}

static void report(enum landlock_mode mode, const char *path, int err) {
    if (mode == LANDLOCK_MODE_HARD_REQUIREMENT) {
        fail("landlock: %s: %s (hard_requirement)", path, strerror(err));
    }
    warning("landlock: %s: %s (best_effort: rule skipped)", path, strerror(err));
}

/* Adds one path_beneath rule; returns errno on failure, 0 on success. */
static int add_rule(int ruleset, const char *path, uint64_t access) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        close(fd);
        return err;
    }
    if (!S_ISDIR(st.st_mode)) access &= LL_FS_FILE_RIGHTS;
    struct ll_path_beneath_attr rule = {.allowed_access = access, .parent_fd = fd};
    long rc = syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
    int err = rc < 0 ? errno : 0;
    close(fd);
    return err;
}

static void add_baseline(int ruleset, const char *const *paths, size_t count, uint64_t access) {
    for (size_t i = 0; i < count; i++) {
        int err = add_rule(ruleset, paths[i], access);
        if (err != 0 && err != ENOENT) fail("landlock: %s: %s (baseline)", paths[i], strerror(err));
    }
}

static void add_listed(int ruleset, enum landlock_mode mode, const struct path_list *paths, uint64_t access) {
    for (size_t i = 0; i < paths->len; i++) {
        int err = add_rule(ruleset, paths->items[i], access);
        if (err != 0) report(mode, paths->items[i], err);
    }
}

void landlock_apply(enum landlock_mode mode, const struct path_list *read_only, const struct path_list *read_write,
                    int list_root) {
    if (mode == LANDLOCK_MODE_OFF) return;
    int abi = landlock_abi();
    if (abi <= 0) {
        if (mode == LANDLOCK_MODE_HARD_REQUIREMENT) {
            fail("landlock: not supported by this kernel (hard_requirement)");
        }
        warning("landlock: not supported by this kernel; filesystem access is not restricted (best_effort)");
        return;
    }
    uint64_t all = handled_fs_rights(abi);
    struct ll_ruleset_attr attr = {
        .handled_access_fs = all,
        .scoped = abi >= 6 ? (LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL) : 0,
    };
    /* Pass only the fields this kernel knows, so older kernels see a struct they accept. */
    size_t attr_size = abi >= 6 ? sizeof(attr) : sizeof(attr.handled_access_fs);
    int ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, attr_size, 0);
    if (ruleset < 0) fail("landlock: create_ruleset: %s", strerror(errno));

    add_baseline(ruleset, BASELINE_READ_WRITE, sizeof(BASELINE_READ_WRITE) / sizeof(*BASELINE_READ_WRITE), all);
    add_baseline(ruleset, BASELINE_READ_ONLY, sizeof(BASELINE_READ_ONLY) / sizeof(*BASELINE_READ_ONLY),
                 LL_FS_READ_ONLY);
    if (list_root) add_baseline(ruleset, (const char *const[]){"/"}, 1, LL_FS_READ_DIR);
    add_listed(ruleset, mode, read_only, LL_FS_READ_ONLY);
    add_listed(ruleset, mode, read_write, all);

    if (syscall(__NR_landlock_restrict_self, ruleset, 0) < 0) fail("landlock: restrict_self: %s", strerror(errno));
    close(ruleset);
}
