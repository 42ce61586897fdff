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

/* Prints "openshell-launch: <message>" on stderr and exits with EXIT_SETUP. */
__attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...);

/* Prints "openshell-launch: warning: <message>" on stderr. */
__attribute__((format(printf, 1, 2))) void warning(const char *fmt, ...);

/* The Landlock ABI version the kernel supports, or 0 when Landlock is unavailable. */
int landlock_abi(void);

/* Restricts this process (and what it execs) to the given paths plus a fixed device/proc baseline. */
void landlock_apply(enum landlock_mode mode, const struct path_list *read_only, const struct path_list *read_write);

/*
 * Mounts the directory open as source_fd (O_PATH) on target through an idmapping that shows its
 * owner and group as uid and gid (nosuid, nodev); refuses a directory owned by root.
 */
void mount_idmapped(const char *source, int source_fd, const char *target, uid_t uid, gid_t gid);

/* Makes (and discards) an idmapped copy of dir: prints idmap=yes and exits 0, or fails with why. */
__attribute__((noreturn)) void probe_idmap(const char *dir);

/* Moves this process into each cgroup directory (writes its pid to DIR/cgroup.procs). */
void join_cgroups(const struct path_list *dirs);

/* Installs the seccomp filter; the caller must have set no_new_privs. */
void seccomp_apply(void);

/* Whether the kernel supports seccomp filters. */
int seccomp_available(void);

#endif
