/*
 * The agent's view of the filesystem (--private-mounts).
 *
 * The agent does not get the host's root with a few directories replaced: it gets a fresh tmpfs
 * root that holds only what the policy lists (--expose, --expose-writable: each host path at the
 * same place), the sandbox's own /tmp, /var/tmp, /run and /dev (never the host's: that is where
 * host sockets live, and Landlock does not mediate connect() on Unix sockets), an empty /proc
 * for the init to mount, and the supervisor's binds (work directory, trust bundle, resolv.conf).
 * A path the policy does not list does not exist for the agent, wherever a host socket hides.
 * A user's work directory comes in as an idmapped tree (--bind-idmapped, idmap.c) that shows its
 * owner and group as the agent's uid and gid; it is attached like every other tree. The writable
 * tmpfs places (/tmp, /var/tmp, /dev/shm) take the --tmp-size limit.
 *
 * Every tree is cloned (open_tree) before the staging root is mounted, so nothing staged can be
 * cloned into itself, and sources under the host's /tmp are taken before anything hides them.
 * Writable places are mounted noexec (and every exposure nosuid,nodev) so that code the agent
 * writes cannot run, nor be loaded into a program the network policy names.
 *
 * The root is assembled on a tmpfs mounted over /tmp (STAGE) in the new mount namespace, then
 * made the root with pivot_root; the host's tree is detached. Missing mount points are created
 * only on a tmpfs the launcher itself mounted, never on a host filesystem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch.h"

#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#endif

struct ll_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

#define STAGE "/tmp"
#define MAX_OWN 16

/* Devices the agent's /dev holds (each skipped when the host has none). */
static const char *const DEVICES[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                                      "/dev/tty",  "/dev/ptmx", "/dev/pts"};
#define DEVICE_COUNT (sizeof(DEVICES) / sizeof(*DEVICES))

static int device_fds[DEVICE_COUNT];
static dev_t own[MAX_OWN];
static size_t own_count;

static void staged(char *out, const char *path) {
    if (snprintf(out, PATH_MAX, "%s%s", STAGE, strcmp(path, "/") == 0 ? "" : path) >= PATH_MAX) {
        fail("%s: path too long", path);
    }
}

static int clone_tree(const char *path) {
    return (int)syscall(__NR_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
}

static int is_own(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) return 0;
    for (size_t i = 0; i < own_count; i++)
        if (own[i] == st.st_dev) return 1;
    return 0;
}

/* Creates the missing parents of a staged path (and the path itself as DIRECTORY or a file). */
static void make_mountpoint(const char *path, int directory) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    struct stat st;
    if (lstat(buf, &st) == 0) return;
    for (char *p = buf + strlen(STAGE) + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (lstat(buf, &st) < 0) {
            char parent[PATH_MAX];
            snprintf(parent, sizeof(parent), "%s", buf);
            *strrchr(parent, '/') = '\0';
            if (!is_own(parent)) fail("cannot create %s: it would be made on a host filesystem", buf + strlen(STAGE));
            if (mkdir(buf, 0755) < 0 && errno != EEXIST) fail("mkdir %s: %s", buf + strlen(STAGE), strerror(errno));
        }
        *p = '/';
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof(parent), "%s", buf);
    *strrchr(parent, '/') = '\0';
    if (!is_own(parent)) fail("cannot create %s: it would be made on a host filesystem", buf + strlen(STAGE));
    if (directory) {
        if (mkdir(buf, 0755) < 0 && errno != EEXIST) fail("mkdir %s: %s", buf + strlen(STAGE), strerror(errno));
    } else {
        int fd = open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) fail("create %s: %s", buf + strlen(STAGE), strerror(errno));
        close(fd);
    }
}

static void set_attributes(int tree, const char *what, uint64_t attributes) {
    if (attributes == 0) return;
    struct ll_mount_attr attr = {.attr_set = attributes};
    if (syscall(__NR_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
        fail("mount attributes of %s: %s", what, strerror(errno));
    }
}

/*
 * A bind target that is a symlink in the view (e.g. /etc/resolv.conf -> ../run/systemd/resolve/
 * stub-resolv.conf, into the sandbox's own /run): the mount goes where the link points, created on
 * the sandbox's tmpfs if need be, so the agent's path through the link reaches it.
 */
static void follow_staged_symlink(char *target) {
    struct stat st;
    if (lstat(target, &st) < 0 || !S_ISLNK(st.st_mode)) return;
    char link[PATH_MAX];
    ssize_t n = readlink(target, link, sizeof(link) - 1);
    if (n <= 0) return;
    link[n] = '\0';
    char resolved[PATH_MAX];
    if (link[0] == '/') {
        staged(resolved, link);
    } else {
        snprintf(resolved, sizeof(resolved), "%s", target);
        *strrchr(resolved, '/') = '\0';
        size_t used = strlen(resolved);
        if (snprintf(resolved + used, sizeof(resolved) - used, "/%s", link) >= (int)(sizeof(resolved) - used)) {
            fail("%s: link target too long", target + strlen(STAGE));
        }
    }
    snprintf(target, PATH_MAX, "%s", resolved);
}

/* Moves a cloned tree onto a staged path, creating the mount point (a file for a file). */
static void attach(int tree, const char *path, uint64_t attributes) {
    char target[PATH_MAX];
    staged(target, path);
    follow_staged_symlink(target);
    struct stat st;
    if (fstat(tree, &st) < 0) fail("%s: %s", path, strerror(errno));
    make_mountpoint(target, S_ISDIR(st.st_mode));
    set_attributes(tree, path, attributes);
    if (syscall(__NR_move_mount, tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
        fail("mount %s: %s", path, strerror(errno));
    }
    close(tree);
}

/* A tmpfs of the sandbox's own at PATH; SIZE bytes at most (0: the kernel's default, half of RAM). */
static void mount_own_tmpfs(const char *path, const char *mode, unsigned long flags, unsigned long long size) {
    char target[PATH_MAX];
    staged(target, path);
    make_mountpoint(target, 1);
    char options[64];
    if (size) snprintf(options, sizeof(options), "mode=%s,size=%llu", mode, size);
    else snprintf(options, sizeof(options), "mode=%s", mode);
    if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | flags, options) < 0) {
        fail("mount tmpfs on %s: %s", path, strerror(errno));
    }
    struct stat st;
    if (stat(target, &st) < 0) fail("%s: %s", path, strerror(errno));
    if (own_count < MAX_OWN) own[own_count++] = st.st_dev;
}

/* A directory that is really there in the staged root (not a symlink to elsewhere). */
static int staged_directory(const char *path) {
    char target[PATH_MAX];
    staged(target, path);
    struct stat st;
    return lstat(target, &st) == 0 && S_ISDIR(st.st_mode);
}

static void staged_symlink(const char *target, const char *link) {
    char where[PATH_MAX];
    staged(where, link);
    struct stat st;
    if (lstat(where, &st) == 0) return;
    char parent[PATH_MAX];
    snprintf(parent, sizeof(parent), "%s", where);
    *strrchr(parent, '/') = '\0';
    make_mountpoint(parent, 1);
    if (!is_own(parent)) fail("cannot create %s: it would be made on a host filesystem", link);
    if (symlink(target, where) < 0) fail("symlink %s: %s", link, strerror(errno));
}

void view_clone_trees(struct view *v) {
    size_t exposed = v->expose.len + v->expose_writable.len;
    v->expose_fds = calloc(exposed + 1, sizeof(int));
    if (!v->expose_fds) fail("out of memory");
    for (size_t i = 0; i < exposed; i++) {
        const char *path = i < v->expose.len ? v->expose.items[i] : v->expose_writable.items[i - v->expose.len];
        v->expose_fds[i] = clone_tree(path);
        /* A listed path the host lacks stays missing; Landlock reports it per its mode. */
        if (v->expose_fds[i] < 0 && errno != ENOENT) fail("--expose %s: %s", path, strerror(errno));
    }
    for (size_t i = 0; i < v->bind_count; i++) {
        struct bind *b = &v->binds[i];
        if (b->idmapped) {
            b->tree_fd = idmapped_tree(b->source, v->uid, v->gid);
            continue;
        }
        b->tree_fd = clone_tree(b->source);
        if (b->tree_fd < 0) fail("--bind %s: %s", b->source, strerror(errno));
    }
    for (size_t i = 0; i < DEVICE_COUNT; i++) device_fds[i] = clone_tree(DEVICES[i]);
}

/* The sandbox's own /dev: a few devices, the host's pseudo-terminals, a private /dev/shm. */
static void build_dev(uint64_t writable, unsigned long long shm_size) {
    mount_own_tmpfs("/dev", "0755", MS_NOEXEC, 0);
    for (size_t i = 0; i < DEVICE_COUNT; i++) {
        if (device_fds[i] >= 0) attach(device_fds[i], DEVICES[i], 0);
    }
    mount_own_tmpfs("/dev/shm", "1777", writable & MOUNT_ATTR_NOEXEC ? MS_NOEXEC : 0, shm_size);
    staged_symlink("/proc/self/fd", "/dev/fd");
    staged_symlink("/proc/self/fd/0", "/dev/stdin");
    staged_symlink("/proc/self/fd/1", "/dev/stdout");
    staged_symlink("/proc/self/fd/2", "/dev/stderr");
}

static void pivot(void) {
    if (chdir(STAGE) < 0) fail("chdir %s: %s", STAGE, strerror(errno));
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root: %s", strerror(errno));
    if (umount2(".", MNT_DETACH) < 0) fail("detach the host's root: %s", strerror(errno));
    if (chdir("/") < 0) fail("chdir /: %s", strerror(errno));
}

void view_enter(struct view *v) {
    if (unshare(CLONE_NEWNS) < 0) fail("unshare(CLONE_NEWNS): %s", strerror(errno));
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail("make / private: %s", strerror(errno));
    view_clone_trees(v);

    if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
        fail("mount the agent's root: %s", strerror(errno));
    }
    struct stat root;
    if (stat(STAGE, &root) < 0) fail("%s: %s", STAGE, strerror(errno));
    own[own_count++] = root.st_dev;

    uint64_t hardened = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    uint64_t writable = hardened | (v->exec_writable ? 0 : MOUNT_ATTR_NOEXEC);
    /* 1. What the policy lists, parents before children (the caller's order). */
    for (size_t i = 0; i < v->expose.len + v->expose_writable.len; i++) {
        if (v->expose_fds[i] < 0) continue;
        const char *path = i < v->expose.len ? v->expose.items[i] : v->expose_writable.items[i - v->expose.len];
        attach(v->expose_fds[i], path, i < v->expose.len ? hardened : writable);
    }
    for (size_t i = 0; i < v->link_count; i++) staged_symlink(v->links[i].target, v->links[i].link);

    /* 2. The sandbox's own places, over whatever an exposure brought along. */
    unsigned long tmp_flags = v->exec_writable ? 0 : MS_NOEXEC;
    mount_own_tmpfs("/tmp", "1777", tmp_flags, v->tmp_size);
    if (staged_directory("/var/tmp")) mount_own_tmpfs("/var/tmp", "1777", tmp_flags, v->tmp_size);
    mount_own_tmpfs("/run", "0755", MS_NOEXEC, 0);
    if (staged_directory("/var/run")) mount_own_tmpfs("/var/run", "0755", MS_NOEXEC, 0);
    build_dev(writable, v->tmp_size);
    char proc[PATH_MAX];
    staged(proc, "/proc");
    make_mountpoint(proc, 1);

    /* 3. The supervisor's binds, which may land in the sandbox's own places. */
    for (size_t i = 0; i < v->bind_count; i++) {
        struct bind *b = &v->binds[i];
        attach(b->tree_fd, b->target, b->read_only ? hardened | MOUNT_ATTR_RDONLY : writable);
    }

    /* The root tmpfs itself: nothing may be added to it (if no exposure of / covers it). */
    struct stat now;
    if (stat(STAGE, &now) == 0 && now.st_dev == root.st_dev) {
        if (mount(NULL, STAGE, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0) {
            fail("make the agent's root read-only: %s", strerror(errno));
        }
    }
    pivot();
}

void view_mount_proc(void) {
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        fail("mount /proc: %s", strerror(errno));
    }
    /* Per PID namespace (Linux >= 6.3): memfds can never be executed here (seccomp also refuses
       memfd_create; this holds where the filter is off). Older kernels lack the file. */
    int fd = open("/proc/sys/vm/memfd_noexec", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, "2", 1) != 1) fail("vm.memfd_noexec=2: %s", strerror(errno));
        close(fd);
    }
}
