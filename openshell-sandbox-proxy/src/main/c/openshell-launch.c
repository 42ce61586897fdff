/*
 * openshell-launch: applies the sandbox restrictions to itself, then execs the agent.
 *
 * The supervisor (a JVM) spawns this launcher; everything below runs in this process before
 * execve, which a JVM cannot do between fork and exec. Order: parse and validate; join the
 * cgroups; no_new_privs; mount namespace (private /, fresh /tmp and /dev/shm, binds, idmapped
 * binds); network namespace; empty the capability bounding set and ambient set; Landlock;
 * seccomp; chdir; setgroups/setgid/setuid; verify we are not root; execvp.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch.h"

#ifndef __NR_close_range
#define __NR_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static const char USAGE[] =
    "usage: openshell-launch [options] -- PROGRAM [ARGS...]\n"
    "       openshell-launch --probe | --probe-idmap DIR | --help\n"
    "\n"
    "Applies the sandbox restrictions to itself, then execs PROGRAM (found on PATH).\n"
    "\n"
    "  --netns PATH          setns(CLONE_NEWNET) into this namespace file\n"
    "                        (/var/run/netns/NAME or /proc/PID/ns/net)\n"
    "  --private-mounts      new mount namespace, / made recursively private, a fresh tmpfs\n"
    "                        (mode 1777) on /tmp and on /dev/shm\n"
    "  --bind SRC:DST        (repeatable, needs --private-mounts) bind-mount SRC onto DST; SRC\n"
    "                        is resolved before the fresh /tmp hides the host's, DST after;\n"
    "                        a missing DST is created only under /tmp\n"
    "  --bind-idmapped SRC:DST (repeatable, needs --private-mounts) like --bind for a directory,\n"
    "                        through an idmapped mount that shows SRC's owner and group as\n"
    "                        --user/--group (what PROGRAM creates belongs to them on disk);\n"
    "                        nosuid, nodev; SRC owned by root is refused\n"
    "  --cgroup DIR          (repeatable) join this cgroup (write our pid to DIR/cgroup.procs)\n"
    "                        first, before anything forks\n"
    "  --tmp-size BYTES      size of the fresh /tmp and /dev/shm (tmpfs size=; default: the\n"
    "                        kernel's, half of RAM)\n"
    "  --ro PATH             (repeatable) Landlock: read and execute beneath PATH\n"
    "  --rw PATH             (repeatable) Landlock: every filesystem right beneath PATH\n"
    "  --landlock MODE       best_effort (default): a missing path or a kernel without\n"
    "                        Landlock warns and continues; hard_requirement: exits 125;\n"
    "                        off: no Landlock at all\n"
    "  --seccomp             install the seccomp filter (default)\n"
    "  --no-seccomp          do not\n"
    "  --user NAME|UID       run as this user (required; never root)\n"
    "  --group NAME|GID      run as this group (default: the user's primary group; never root)\n"
    "  --chdir DIR           working directory for PROGRAM (entered before the user switch,\n"
    "                        so a parent PROGRAM may not search does not stand in the way)\n"
    "  --probe               print landlock_abi=N and seccomp=yes|no, then exit 0\n"
    "  --probe-idmap DIR     whether --bind-idmapped DIR can work: print idmap=yes and exit 0,\n"
    "                        or exit 125 with the reason (root-owned, filesystem without support)\n"
    "\n"
    "Landlock paths are as seen after the mounts. Every ruleset also allows read-write\n"
    "/dev/null /dev/zero /dev/full /dev/tty /dev/pts /dev/ptmx /dev/shm and read-only\n"
    "/dev/urandom /dev/random /proc (each skipped when missing).\n"
    "\n"
    "Exit status: PROGRAM's own; 125 when the sandbox cannot be set up (one line on stderr\n"
    "prefixed 'openshell-launch:'); 126 when PROGRAM cannot be executed; 127 when not found.\n";

static void vreport(const char *prefix, const char *fmt, va_list ap) {
    char line[1024];
    vsnprintf(line, sizeof(line), fmt, ap);
    fprintf(stderr, "openshell-launch: %s%s\n", prefix, line);
}

void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
    _exit(EXIT_SETUP);
}

void warning(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

struct bind {
    const char *source;
    const char *target;
    int source_fd;
    int idmapped;
};

struct options {
    const char *netns;
    int private_mounts;
    struct bind *binds;
    size_t bind_count;
    struct path_list read_only;
    struct path_list read_write;
    struct path_list cgroups;
    unsigned long long tmp_size;
    enum landlock_mode landlock;
    int seccomp;
    const char *user;
    const char *group;
    const char *chdir;
    char **program;
    /* resolved during validation */
    uid_t uid;
    gid_t gid;
    int netns_fd;
};

/* Matches "--name VALUE" and "--name=VALUE"; advances *i past a separate value. */
static const char *option_value(int argc, char **argv, int *i, const char *name) {
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] != '\0') return NULL;
    if (*i + 1 >= argc) fail("%s needs a value (see --help)", name);
    return argv[++*i];
}

static void probe(void) {
    printf("landlock_abi=%d\nseccomp=%s\n", landlock_abi(), seccomp_available() ? "yes" : "no");
    exit(0);
}

static void parse(int argc, char **argv, struct options *o) {
    size_t max = (size_t)argc;
    o->binds = calloc(max, sizeof(*o->binds));
    o->read_only.items = calloc(max, sizeof(char *));
    o->read_write.items = calloc(max, sizeof(char *));
    o->cgroups.items = calloc(max, sizeof(char *));
    if (!o->binds || !o->read_only.items || !o->read_write.items || !o->cgroups.items) fail("out of memory");
    o->landlock = LANDLOCK_MODE_BEST_EFFORT;
    o->seccomp = 1;
    o->netns_fd = -1;
    int i;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *v;
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(USAGE, stdout);
            exit(0);
        } else if (strcmp(arg, "--probe") == 0) {
            probe();
        } else if (strcmp(arg, "--private-mounts") == 0) {
            o->private_mounts = 1;
        } else if (strcmp(arg, "--seccomp") == 0) {
            o->seccomp = 1;
        } else if (strcmp(arg, "--no-seccomp") == 0) {
            o->seccomp = 0;
        } else if ((v = option_value(argc, argv, &i, "--probe-idmap"))) {
            probe_idmap(v);
        } else if ((v = option_value(argc, argv, &i, "--netns"))) {
            o->netns = v;
        } else if ((v = option_value(argc, argv, &i, "--bind")) ||
                   (v = option_value(argc, argv, &i, "--bind-idmapped"))) {
            const char *colon = strchr(v, ':');
            if (!colon || colon == v || colon[1] == '\0') fail("%s %s: expected SRC:DST", arg, v);
            struct bind *b = &o->binds[o->bind_count++];
            b->source = strndup(v, (size_t)(colon - v));
            b->target = colon + 1;
            b->source_fd = -1;
            b->idmapped = strncmp(arg, "--bind-idmapped", 15) == 0;
        } else if ((v = option_value(argc, argv, &i, "--cgroup"))) {
            o->cgroups.items[o->cgroups.len++] = v;
        } else if ((v = option_value(argc, argv, &i, "--tmp-size"))) {
            char *end;
            errno = 0;
            o->tmp_size = strtoull(v, &end, 10);
            if (errno || *end || !isdigit((unsigned char)v[0]) || o->tmp_size == 0) fail("--tmp-size %s: expected bytes", v);
        } else if ((v = option_value(argc, argv, &i, "--ro"))) {
            o->read_only.items[o->read_only.len++] = v;
        } else if ((v = option_value(argc, argv, &i, "--rw"))) {
            o->read_write.items[o->read_write.len++] = v;
        } else if ((v = option_value(argc, argv, &i, "--landlock"))) {
            if (strcmp(v, "best_effort") == 0) o->landlock = LANDLOCK_MODE_BEST_EFFORT;
            else if (strcmp(v, "hard_requirement") == 0) o->landlock = LANDLOCK_MODE_HARD_REQUIREMENT;
            else if (strcmp(v, "off") == 0) o->landlock = LANDLOCK_MODE_OFF;
            else fail("--landlock %s: expected best_effort, hard_requirement or off", v);
        } else if ((v = option_value(argc, argv, &i, "--user"))) {
            o->user = v;
        } else if ((v = option_value(argc, argv, &i, "--group"))) {
            o->group = v;
        } else if ((v = option_value(argc, argv, &i, "--chdir"))) {
            o->chdir = v;
        } else {
            fail("unknown option %s (see --help)", arg);
        }
    }
    if (i >= argc) fail("no PROGRAM given after -- (see --help)");
    o->program = &argv[i];
}

static int parse_id(const char *text, unsigned long *id) {
    if (!*text) return 0;
    for (const char *c = text; *c; c++)
        if (!isdigit((unsigned char)*c)) return 0;
    errno = 0;
    *id = strtoul(text, NULL, 10);
    return errno == 0 && *id < UINT_MAX;
}

/* Names are resolved now, before Landlock may hide /etc/passwd and NSS modules. */
static void resolve_identity(struct options *o) {
    if (!o->user) fail("--user is required (the agent never runs as root)");
    unsigned long id;
    int have_gid = 0;
    struct passwd *pw = parse_id(o->user, &id) ? getpwuid((uid_t)id) : getpwnam(o->user);
    if (pw) {
        o->uid = pw->pw_uid;
        o->gid = pw->pw_gid;
        have_gid = 1;
    } else if (parse_id(o->user, &id)) {
        o->uid = (uid_t)id;
    } else {
        fail("--user %s: no such user", o->user);
    }
    if (o->group) {
        struct group *gr = parse_id(o->group, &id) ? getgrgid((gid_t)id) : getgrnam(o->group);
        if (gr) o->gid = gr->gr_gid;
        else if (parse_id(o->group, &id)) o->gid = (gid_t)id;
        else fail("--group %s: no such group", o->group);
        have_gid = 1;
    }
    if (!have_gid) fail("--user %s has no passwd entry: give --group", o->user);
    if (o->uid == 0) fail("--user %s: refusing to run as root", o->user);
    if (o->gid == 0) fail("--group %s: refusing to run as the root group", o->group ? o->group : o->user);
}

static void validate(struct options *o) {
    resolve_identity(o);
    if (o->bind_count > 0 && !o->private_mounts) fail("--bind needs --private-mounts");
    if (o->netns) {
        o->netns_fd = open(o->netns, O_RDONLY | O_CLOEXEC);
        if (o->netns_fd < 0) fail("--netns %s: %s", o->netns, strerror(errno));
    }
    for (size_t i = 0; i < o->bind_count; i++) {
        struct bind *b = &o->binds[i];
        if (b->source[0] != '/' || b->target[0] != '/') fail("--bind %s:%s: paths must be absolute", b->source, b->target);
        struct stat st;
        if (stat(b->source, &st) < 0) fail("--bind %s: %s", b->source, strerror(errno));
    }
}

static void mkdirs(const char *path) {
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) fail("%s: path too long", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST) fail("mkdir %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST) fail("mkdir %s: %s", buf, strerror(errno));
}

static void prepare_target(const struct bind *b) {
    struct stat st;
    if (stat(b->target, &st) == 0) return;
    /* Creating targets elsewhere would leave directories behind on the host's filesystem. */
    if (strncmp(b->target, "/tmp/", 5) != 0) fail("--bind %s: target does not exist", b->target);
    struct stat src;
    if (fstat(b->source_fd, &src) < 0) fail("--bind %s: %s", b->source, strerror(errno));
    if (S_ISDIR(src.st_mode)) {
        mkdirs(b->target);
        return;
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof(parent), "%s", b->target);
    *strrchr(parent, '/') = '\0';
    if (parent[0]) mkdirs(parent);
    int fd = open(b->target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail("--bind %s: %s", b->target, strerror(errno));
    close(fd);
}

static void mount_tmpfs(const char *where, int required, unsigned long long size) {
    struct stat st;
    if (!required && stat(where, &st) < 0) return;
    char options[64] = "mode=1777";
    if (size) snprintf(options, sizeof(options), "mode=1777,size=%llu", size);
    if (mount("tmpfs", where, "tmpfs", MS_NOSUID | MS_NODEV, options) < 0) {
        fail("mount tmpfs on %s: %s", where, strerror(errno));
    }
}

static void setup_mounts(struct options *o) {
    if (!o->private_mounts) return;
    if (unshare(CLONE_NEWNS) < 0) fail("unshare(CLONE_NEWNS): %s", strerror(errno));
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail("make / private: %s", strerror(errno));
    /* Sources are opened before the fresh /tmp hides the host's (a bind source may live there),
       and only now because a bind needs a source mount that belongs to the new namespace. */
    for (size_t i = 0; i < o->bind_count; i++) {
        o->binds[i].source_fd = open(o->binds[i].source, O_PATH | O_CLOEXEC);
        if (o->binds[i].source_fd < 0) fail("--bind %s: %s", o->binds[i].source, strerror(errno));
    }
    mount_tmpfs("/tmp", 1, o->tmp_size);
    mount_tmpfs("/dev/shm", 0, o->tmp_size);
    for (size_t i = 0; i < o->bind_count; i++) {
        const struct bind *b = &o->binds[i];
        prepare_target(b);
        if (b->idmapped) {
            mount_idmapped(b->source, b->source_fd, b->target, o->uid, o->gid);
            close(b->source_fd);
            continue;
        }
        char source[64];
        snprintf(source, sizeof(source), "/proc/self/fd/%d", b->source_fd);
        if (mount(source, b->target, NULL, MS_BIND | MS_REC, NULL) < 0) {
            fail("--bind %s:%s: %s", b->source, b->target, strerror(errno));
        }
        close(b->source_fd);
    }
}

static void enter_netns(const struct options *o) {
    if (o->netns_fd < 0) return;
    if (setns(o->netns_fd, CLONE_NEWNET) < 0) fail("setns %s: %s", o->netns, strerror(errno));
    close(o->netns_fd);
}

static int last_cap(void) {
    int last = -1;
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
    if (f) {
        if (fscanf(f, "%d", &last) != 1) last = -1;
        fclose(f);
    }
    return last;
}

static void drop_capabilities(void) {
    int last = last_cap();
    /* Without /proc, drop until the kernel says the capability does not exist. */
    for (int cap = 0; last < 0 ? cap < 64 : cap <= last; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
        if (errno == EINVAL && last < 0) break;
        fail("drop capability %d from the bounding set: %s", cap, strerror(errno));
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
        fail("clear ambient capabilities: %s", strerror(errno));
    }
}

static void switch_user(const struct options *o) {
    gid_t groups[1] = {o->gid};
    if (setgroups(1, groups) < 0) fail("setgroups(%u): %s", (unsigned)o->gid, strerror(errno));
    if (setgid(o->gid) < 0) fail("setgid(%u): %s", (unsigned)o->gid, strerror(errno));
    if (setuid(o->uid) < 0) fail("setuid(%u): %s", (unsigned)o->uid, strerror(errno));
    /* Inheritable capabilities could survive the uid change; clear all three sets. */
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2] = {{0}};
    if (syscall(SYS_capset, &header, data) < 0) fail("capset: %s", strerror(errno));
}

static void verify_unprivileged(void) {
    if (getuid() == 0 || geteuid() == 0 || getgid() == 0 || getegid() == 0) fail("still root after setuid; aborting");
    if (setuid(0) == 0 || setgid(0) == 0) fail("could regain root; aborting");
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) < 0) fail("capget: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
        if (data[i].effective || data[i].permitted || data[i].inheritable) fail("capabilities left; aborting");
    }
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) fail("capability %d left in the bounding set; aborting", cap);
    }
}

/*
 * execvp, except that a PATH entry we may not search (e.g. a root-only directory, or one Landlock
 * hides) counts as "not found" rather than EACCES, so a missing program exits 127 like a shell.
 * Returns errno on failure.
 */
static int exec_program(char **program) {
    const char *name = program[0];
    if (strchr(name, '/')) {
        execv(name, program);
        return errno;
    }
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    int err = ENOENT;
    while (*path) {
        const char *end = strchrnul(path, ':');
        char candidate[PATH_MAX];
        int dir_len = (int)(end - path);
        if (dir_len == 0) snprintf(candidate, sizeof(candidate), "%s", name);
        else snprintf(candidate, sizeof(candidate), "%.*s/%s", dir_len, path, name);
        struct stat st;
        if (stat(candidate, &st) == 0 && !S_ISDIR(st.st_mode)) {
            execv(candidate, program);
            err = errno;
        }
        path = *end ? end + 1 : end;
    }
    return err;
}

int main(int argc, char **argv) {
    struct options o = {0};
    parse(argc, argv, &o);
    validate(&o);
    join_cgroups(&o.cgroups);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("no_new_privs: %s", strerror(errno));
    setup_mounts(&o);
    enter_netns(&o);
    drop_capabilities();
    landlock_apply(o.landlock, &o.read_only, &o.read_write);
    if (o.seccomp) seccomp_apply();
    /* Still privileged: a workdir below a directory the agent may not search (a 0700 home) works. */
    if (o.chdir && chdir(o.chdir) < 0) fail("chdir %s: %s", o.chdir, strerror(errno));
    switch_user(&o);
    verify_unprivileged();
    /* Descriptors the supervisor leaked by mistake must not reach the agent. */
    syscall(__NR_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    int err = exec_program(o.program);
    fprintf(stderr, "openshell-launch: exec %s: %s\n", o.program[0], strerror(err));
    return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}
