/* Shared declarations of the openshell-launch native launcher. */
#ifndef OPENSHELL_LAUNCH_H
#define OPENSHELL_LAUNCH_H

#include <stddef.h>
#include <sys/types.h>

/* Exit codes: 125 for our own setup failures (as env(1), chroot(1), bwrap do), 126/127 for exec. */
#define EXIT_SETUP 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

enum landlock_mode { LANDLOCK_MODE_OFF, LANDLOCK_MODE_BEST_EFFORT, LANDLOCK_MODE_HARD_REQUIREMENT };

/* A list of paths taken from the command line; items point into argv. */
struct path_list {
    const char **items;
    size_t len;
};

/* A bind mount into the agent's view: SRC (a host path) shown at DST. */
struct bind {
    const char *source;
    const char *target;
    int read_only; /* --ro-bind: read-only; --bind: writable (noexec unless exec_writable) */
    int idmapped;  /* --bind-idmapped: writable, SRC's owner and group shown as the agent's ids */
    int tree_fd;   /* the source's mount tree, cloned before anything hides it */
};

/* A symlink created in the agent's root: LINK -> TARGET (as on the host). */
struct symlink {
    const char *link;
    const char *target;
};

/*
 * The agent's mount namespace (--private-mounts): a fresh root holding only the exposed host
 * paths, the sandbox's own /tmp, /var/tmp, /run, /dev and /proc, and the binds.
 */
struct view {
    int enabled;
    struct path_list expose;          /* --expose: host paths shown at the same place */
    struct path_list expose_writable; /* --expose-writable: the same, noexec unless exec_writable */
    int *expose_fds;                  /* cloned trees, parallel to expose then expose_writable */
    struct bind *binds;
    size_t bind_count;
    struct symlink *links;
    size_t link_count;
    int exec_writable; /* --exec-from-writable: writable places keep exec */
    unsigned long long tmp_size; /* --tmp-size: bytes of each writable tmpfs (/tmp, /var/tmp, /dev/shm); 0: the kernel's default */
    uid_t uid;                   /* the agent's ids, for the idmapped binds */
    gid_t gid;
};

/* Clones every tree the view shows (call after unshare(CLONE_NEWNS), before view_build). */
void view_clone_trees(struct view *v);

/* New mount namespace, the agent's root assembled and pivoted into; /proc left empty. */
void view_enter(struct view *v);

/* Mounts a fresh /proc (call as pid 1 of a new PID namespace). */
void view_mount_proc(void);

/* Joins the mount, network and PID namespaces of the sandbox whose init has host pid PID. */
struct join {
    const char *pid;
    int mnt_fd;
    int pid_fd;
    int net_fd;
};

/* Opens and checks the init's namespace files (before anything is joined). */
void join_open(struct join *j, int expected_netns_fd);

/* setns into the init's mount and network namespaces; the PID namespace is for children. */
void join_enter(struct join *j);

/*
 * Forks into the PID namespace prepared (unshare(CLONE_NEWPID) or setns): returns in the child;
 * the parent stays outside as a relay that forwards signals to the child and exits with its
 * status (never returns).
 */
void fork_relay(void);

/*
 * --die-with-parent: the relay also watches the process that started the launcher (the
 * supervisor) through a pidfd taken now, and when it dies, kills its child with SIGKILL (for a
 * new PID namespace: its init, and with it every process of the sandbox).
 */
void watch_parent(void);

/* Renews the relay's death signal after a credential change cleared it (child of fork_relay). */
void keep_lifeline(void);

/*
 * In the child of a new PID namespace (pid 1): forks the agent (pid 2) and returns in it; the
 * init never returns: it reaps orphans, forwards signals to the agent and, once the agent has
 * exited, stops the rest and exits with the agent's status.
 */
void fork_init(void);

/* The signal mask the relay and the init use; the agent gets an empty one back before exec. */
void restore_signals(void);

/* Prints "openshell-launch: <message>" on stderr and exits with EXIT_SETUP. */
__attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...);

/* Prints "openshell-launch: warning: <message>" on stderr. */
__attribute__((format(printf, 1, 2))) void warning(const char *fmt, ...);

/* The Landlock ABI version the kernel supports, or 0 when Landlock is unavailable. */
int landlock_abi(void);

/*
 * Restricts this process (and what it execs) to the given paths plus a fixed device/proc baseline;
 * LIST_ROOT: every directory may be listed (only in the agent's own root, which shows nothing else).
 */
void landlock_apply(enum landlock_mode mode, const struct path_list *read_only, const struct path_list *read_write,
                    int list_root);

/*
 * A detached copy of the directory tree at SOURCE, idmapped so that the directory's owner and group
 * show as uid and gid (nosuid, nodev): the caller attaches it (move_mount) or closes it. Refuses a
 * directory owned by root.
 */
int idmapped_tree(const char *source, uid_t uid, gid_t gid);

/* Makes (and discards) an idmapped copy of dir: prints idmap=yes and exits 0, or fails with why. */
__attribute__((noreturn)) void probe_idmap(const char *dir);

/* Moves this process into each cgroup directory (writes its pid to DIR/cgroup.procs). */
void join_cgroups(const struct path_list *dirs);

/* Installs the seccomp filter; the caller must have set no_new_privs. */
void seccomp_apply(void);

/* Whether the kernel supports seccomp filters. */
int seccomp_available(void);

#endif
