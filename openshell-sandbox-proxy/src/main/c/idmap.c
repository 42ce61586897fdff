/*
 * Idmapped bind mounts: the workdir a user hands to a sandbox.
 *
 * The agent runs as a uid of its own, but the directory belongs to someone else (the user who ran
 * `openshell run --workdir "$PWD"`). Rather than chown the user's tree, the launcher mounts it
 * through an idmapping that shows the directory's owner and group as the agent's uid and gid: the
 * agent may write where the owner may, and what it creates is owned by the owner on disk. Every
 * other id on disk shows as the overflow id (65534) and keeps only the permissions "other" has.
 *
 * Steps (kernel 5.12+, filesystems with FS_ALLOW_IDMAP: ext4, xfs, btrfs, tmpfs, ...):
 * open_tree(OPEN_TREE_CLONE) makes a detached copy of the source's mount tree; mount_setattr
 * (MOUNT_ATTR_IDMAP) attaches a user namespace whose uid_map/gid_map say "owner <-> agent"; the
 * namespace comes from a short-lived child that unshares CLONE_NEWUSER and waits while we write its
 * maps. The copy is nosuid and nodev; the agent's view (mounts.c) attaches it like any other tree
 * it shows (move_mount), with the writable places' noexec on top.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

#define IDMAP_OPEN_TREE_CLONE 1U
#define IDMAP_OPEN_TREE_CLOEXEC O_CLOEXEC
#define IDMAP_AT_RECURSIVE 0x8000U
#define IDMAP_MOVE_MOUNT_F_EMPTY_PATH 0x00000004U
#define IDMAP_MOUNT_ATTR_NOSUID 0x00000002ULL
#define IDMAP_MOUNT_ATTR_NODEV 0x00000004ULL
#define IDMAP_MOUNT_ATTR_IDMAP 0x00100000ULL

/* struct mount_attr (linux/mount.h), spelled out so old headers build too. */
struct idmap_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

static void write_map(pid_t child, const char *file, unsigned inside, unsigned outside) {
    char path[64], line[64];
    snprintf(path, sizeof(path), "/proc/%d/%s", (int)child, file);
    int n = snprintf(line, sizeof(line), "%u %u 1\n", inside, outside);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, line, (size_t)n) != n) fail("idmapped mount: write %s: %s", path, strerror(errno));
    close(fd);
}

/* A user namespace mapping on-disk owner/group to the agent's uid/gid; returns its fd. */
static int mapping_userns(uid_t owner, gid_t group, uid_t uid, gid_t gid) {
    int ready[2], release[2];
    if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(release, O_CLOEXEC) < 0) fail("idmapped mount: pipe: %s", strerror(errno));
    pid_t child = fork();
    if (child < 0) fail("idmapped mount: fork: %s", strerror(errno));
    if (child == 0) {
        char c = 0;
        close(ready[0]);
        close(release[1]);
        if (unshare(CLONE_NEWUSER) < 0) _exit(1);
        if (write(ready[1], &c, 1) != 1) _exit(1);
        /* Stay until the parent has opened our namespace; EOF when it closes its end. */
        while (read(release[0], &c, 1) < 0 && errno == EINTR) {
        }
        _exit(0);
    }
    close(ready[1]);
    close(release[0]);
    char c;
    ssize_t got;
    while ((got = read(ready[0], &c, 1)) < 0 && errno == EINTR) {
    }
    if (got != 1) {
        waitpid(child, NULL, 0);
        fail("idmapped mount: the helper could not create a user namespace (user.max_user_namespaces?)");
    }
    write_map(child, "uid_map", (unsigned)owner, (unsigned)uid);
    write_map(child, "gid_map", (unsigned)group, (unsigned)gid);
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
    int userns = open(path, O_RDONLY | O_CLOEXEC);
    if (userns < 0) fail("idmapped mount: open %s: %s", path, strerror(errno));
    close(release[1]);
    close(ready[0]);
    waitpid(child, NULL, 0);
    return userns;
}

static const char *filesystem_name(long type) {
    switch (type) {
    case 0x858458f6L: return "ramfs";
    case 0x6969L: return "nfs";
    case 0x65735546L: return "fuse";
    case 0xff534d42L: return "cifs";
    case 0xfe534d42L: return "smb2";
    case 0x01021997L: return "9p";
    case 0x794c7630L: return "overlayfs";
    case 0x4d44L: return "vfat";
    case 0x9fa0L: return "proc";
    case 0x62656572L: return "sysfs";
    default: return NULL;
    }
}

/* A detached, idmapped copy of the tree at source_fd; the caller attaches or closes it. */
static int idmapped_copy(const char *source, int source_fd, uid_t uid, gid_t gid) {
    struct stat st;
    if (fstat(source_fd, &st) < 0) fail("--bind-idmapped %s: %s", source, strerror(errno));
    if (!S_ISDIR(st.st_mode)) fail("--bind-idmapped %s: not a directory", source);
    /* The agent would write as root on the host: never, whoever asks. */
    if (st.st_uid == 0 || st.st_gid == 0) {
        fail("--bind-idmapped %s: owned by root (uid %u, gid %u); the agent would write as root there", source,
             (unsigned)st.st_uid, (unsigned)st.st_gid);
    }
    int tree = (int)syscall(__NR_open_tree, source_fd, "",
                            IDMAP_OPEN_TREE_CLONE | IDMAP_OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | IDMAP_AT_RECURSIVE);
    if (tree < 0) fail("--bind-idmapped %s: open_tree: %s", source, strerror(errno));
    struct idmap_mount_attr attr = {.attr_set = IDMAP_MOUNT_ATTR_NOSUID | IDMAP_MOUNT_ATTR_NODEV};
    int userns = -1;
    if (st.st_uid != uid || st.st_gid != gid) {
        userns = mapping_userns(st.st_uid, st.st_gid, uid, gid);
        attr.attr_set |= IDMAP_MOUNT_ATTR_IDMAP;
        attr.userns_fd = (uint64_t)userns;
    }
    if (syscall(__NR_mount_setattr, tree, "", AT_EMPTY_PATH | IDMAP_AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
        int err = errno;
        struct statfs fs;
        long type = fstatfs(source_fd, &fs) == 0 ? (long)fs.f_type : 0;
        if (err == EINVAL) {
            const char *name = filesystem_name(type);
            char unknown[32];
            snprintf(unknown, sizeof(unknown), "type 0x%lx", type);
            fail("--bind-idmapped %s: its filesystem (%s) does not support idmapped mounts; use a directory on ext4, "
                 "xfs, btrfs or tmpfs",
                 source, name ? name : unknown);
        }
        fail("--bind-idmapped %s: mount_setattr: %s", source, strerror(err));
    }
    if (userns >= 0) close(userns);
    return tree;
}

int idmapped_tree(const char *source, uid_t uid, gid_t gid) {
    /* The checks and the copy work on this one descriptor: a path swapped meanwhile changes nothing. */
    int fd = open(source, O_PATH | O_CLOEXEC);
    if (fd < 0) fail("--bind-idmapped %s: %s", source, strerror(errno));
    int tree = idmapped_copy(source, fd, uid, gid);
    close(fd);
    return tree;
}

void probe_idmap(const char *dir) {
    int fd = open(dir, O_PATH | O_CLOEXEC);
    if (fd < 0) fail("--probe-idmap %s: %s", dir, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0) fail("--probe-idmap %s: %s", dir, strerror(errno));
    /* Any id other than the owner's makes the kernel apply a real mapping. */
    uid_t other = st.st_uid == 65534 ? 65533 : 65534;
    close(idmapped_copy(dir, fd, other, other));
    close(fd);
    printf("idmap=yes\n");
    exit(0);
}
