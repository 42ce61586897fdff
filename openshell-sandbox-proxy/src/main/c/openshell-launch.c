/*
 * openshell-launch: applies the sandbox restrictions to itself, then execs the agent.
 *
 * The supervisor (a JVM) spawns this launcher; everything below runs in this process (and, with
 * a PID namespace, in its children) before execve, which a JVM cannot do between fork and exec.
 * The steps of main(), in this order (each a function of its own; keep them separate):
 *
 *   1. parse and validate (users and groups are resolved while /etc is the host's)
 *   2. join the sandbox's cgroups (--cgroup, cgroup.c): before anything forks (the idmap helper,
 *      the relay, the init, the agent), so every process of the sandbox is counted and limited
 *   3. no_new_privs; core dumps off (RLIMIT_CORE 0, soft and hard)
 *   4. the agent's view (--private-mounts, mounts.c): new mount namespace, a root holding only
 *      what the policy exposes plus the sandbox's own /tmp, /var/tmp, /run, /dev (writable
 *      tmpfs sized by --tmp-size), binds and idmapped binds (idmap.c); or, for a session in a
 *      running sandbox (--join), its init's mount and network namespaces
 *   5. the network namespace (--netns)
 *   6. the PID namespace (init.c): fork; the parent stays behind as a relay; the child is pid 1
 *      of a new namespace (mounts /proc, vm.memfd_noexec=2) or a process of the joined one
 *   7. empty the capability bounding set and ambient set; Landlock; seccomp
 *   8. chdir, still privileged: a work directory below one the agent may not search (a 0700
 *      home the policy exposes) works; the agent and its init inherit it
 *   9. setgroups/setgid/setuid, verify we are not root; renew the relay's death signal
 *  10. in a new PID namespace: the init forks the agent (pid 2) and stays behind (init.c)
 *  11. close stray descriptors; execvp
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
#include <sys/resource.h>
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
    "  --private-mounts      the agent's own mount and PID namespaces: a fresh root holding\n"
    "                        only the --expose paths, the binds, and the sandbox's own /tmp,\n"
    "                        /var/tmp, /run (empty tmpfs), /dev (null zero full random urandom\n"
    "                        tty ptmx pts, a private shm) and /proc; PROGRAM runs as pid 2\n"
    "                        under an init (pid 1) that forwards signals and exits with its\n"
    "                        status; this process waits outside and exits with it too\n"
    "  --expose PATH         (repeatable, needs --private-mounts) show the host's PATH at the\n"
    "                        same place, nosuid,nodev (skipped when the host has none)\n"
    "  --expose-writable PATH  the same, also noexec (the policy's read_write paths)\n"
    "  --symlink LINK:TARGET (repeatable) create the symlink LINK -> TARGET in the new root\n"
    "  --bind SRC:DST        (repeatable, needs --private-mounts) show SRC at DST, writable,\n"
    "                        noexec,nosuid,nodev; a missing DST is created on the sandbox's\n"
    "                        own tmpfs only (under /, /tmp, /run, ...), never on the host\n"
    "  --ro-bind SRC:DST     the same, read-only\n"
    "  --bind-idmapped SRC:DST  like --bind for a directory, through an idmapped mount that\n"
    "                        shows SRC's owner and group as --user/--group (what PROGRAM\n"
    "                        creates belongs to them on disk); SRC owned by root is refused\n"
    "  --tmp-size BYTES      (needs --private-mounts) size of each writable tmpfs of the\n"
    "                        sandbox (/tmp, /var/tmp, /dev/shm); default: the kernel's, half of RAM\n"
    "  --exec-from-writable  writable places (/tmp, /var/tmp, /dev/shm, --bind,\n"
    "                        --expose-writable) keep exec (still nosuid,nodev)\n"
    "  --die-with-parent     (needs --private-mounts or --join) when the process that started\n"
    "                        this one exits, the relay kills PROGRAM's side with SIGKILL (with\n"
    "                        --private-mounts: every process of the sandbox)\n"
    "  --join PID            run inside the sandbox whose init has host pid PID: its mount,\n"
    "                        network and PID namespaces (with --netns: must be the same)\n"
    "  --cgroup DIR          (repeatable) join this cgroup (write our pid to DIR/cgroup.procs)\n"
    "                        first, before anything forks\n"
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
    "Paths of --ro, --rw and --chdir are as seen after the mounts. Every ruleset also allows\n"
    "read-write /dev/null /dev/zero /dev/full /dev/tty /dev/pts /dev/ptmx /dev/shm and read-only\n"
    "/dev/urandom /dev/random /proc (each skipped when missing). Core dumps are always off.\n"
    "\n"
    "Exit status: PROGRAM's own (128+N when a signal N ended it); 125 when the sandbox cannot be\n"
    "set up (one line on stderr prefixed 'openshell-launch:'); 126 when PROGRAM cannot be\n"
    "executed; 127 when not found.\n";

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

struct options {
    const char *netns;
    struct view view;
    struct join join;
    struct path_list read_only;
    struct path_list read_write;
    struct path_list cgroups;
    enum landlock_mode landlock;
    int seccomp;
    int die_with_parent;
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

static void add_bind(struct view *view, const char *name, const char *value, int read_only, int idmapped) {
    const char *colon = strchr(value, ':');
    if (!colon || colon == value || colon[1] == '\0') fail("%s %s: expected SRC:DST", name, value);
    struct bind *b = &view->binds[view->bind_count++];
    b->source = strndup(value, (size_t)(colon - value));
    b->target = colon + 1;
    b->read_only = read_only;
    b->idmapped = idmapped;
    b->tree_fd = -1;
}

static const char *bind_option(const struct bind *b) {
    return b->idmapped ? "--bind-idmapped" : b->read_only ? "--ro-bind" : "--bind";
}

static void probe(void) {
    printf("landlock_abi=%d\nseccomp=%s\n", landlock_abi(), seccomp_available() ? "yes" : "no");
    exit(0);
}

static void parse(int argc, char **argv, struct options *o) {
    size_t max = (size_t)argc;
    o->view.binds = calloc(max, sizeof(*o->view.binds));
    o->view.links = calloc(max, sizeof(*o->view.links));
    o->view.expose.items = calloc(max, sizeof(char *));
    o->view.expose_writable.items = calloc(max, sizeof(char *));
    o->read_only.items = calloc(max, sizeof(char *));
    o->read_write.items = calloc(max, sizeof(char *));
    o->cgroups.items = calloc(max, sizeof(char *));
    if (!o->view.binds || !o->view.links || !o->view.expose.items || !o->view.expose_writable.items ||
        !o->read_only.items || !o->read_write.items || !o->cgroups.items) {
        fail("out of memory");
    }
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
            o->view.enabled = 1;
        } else if (strcmp(arg, "--exec-from-writable") == 0) {
            o->view.exec_writable = 1;
        } else if (strcmp(arg, "--seccomp") == 0) {
            o->seccomp = 1;
        } else if (strcmp(arg, "--no-seccomp") == 0) {
            o->seccomp = 0;
        } else if (strcmp(arg, "--die-with-parent") == 0) {
            o->die_with_parent = 1;
        } else if ((v = option_value(argc, argv, &i, "--probe-idmap"))) {
            probe_idmap(v);
        } else if ((v = option_value(argc, argv, &i, "--netns"))) {
            o->netns = v;
        } else if ((v = option_value(argc, argv, &i, "--bind"))) {
            add_bind(&o->view, "--bind", v, 0, 0);
        } else if ((v = option_value(argc, argv, &i, "--ro-bind"))) {
            add_bind(&o->view, "--ro-bind", v, 1, 0);
        } else if ((v = option_value(argc, argv, &i, "--bind-idmapped"))) {
            add_bind(&o->view, "--bind-idmapped", v, 0, 1);
        } else if ((v = option_value(argc, argv, &i, "--cgroup"))) {
            o->cgroups.items[o->cgroups.len++] = v;
        } else if ((v = option_value(argc, argv, &i, "--tmp-size"))) {
            char *end;
            errno = 0;
            o->view.tmp_size = strtoull(v, &end, 10);
            if (errno || *end || !isdigit((unsigned char)v[0]) || o->view.tmp_size == 0) {
                fail("--tmp-size %s: expected bytes", v);
            }
        } else if ((v = option_value(argc, argv, &i, "--expose"))) {
            o->view.expose.items[o->view.expose.len++] = v;
        } else if ((v = option_value(argc, argv, &i, "--expose-writable"))) {
            o->view.expose_writable.items[o->view.expose_writable.len++] = v;
        } else if ((v = option_value(argc, argv, &i, "--symlink"))) {
            const char *colon = strchr(v, ':');
            if (!colon || colon == v || colon[1] == '\0') fail("--symlink %s: expected LINK:TARGET", v);
            struct symlink *l = &o->view.links[o->view.link_count++];
            l->link = strndup(v, (size_t)(colon - v));
            l->target = colon + 1;
        } else if ((v = option_value(argc, argv, &i, "--join"))) {
            o->join.pid = v;
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

static void require_absolute(const char *option, const char *path) {
    if (path[0] != '/') fail("%s %s: paths must be absolute", option, path);
}

static void validate(struct options *o) {
    resolve_identity(o);
    struct view *v = &o->view;
    int mounts = v->bind_count + v->expose.len + v->expose_writable.len + v->link_count > 0 || v->exec_writable ||
                 v->tmp_size;
    if (mounts && !v->enabled) {
        fail("--bind, --ro-bind, --bind-idmapped, --expose, --symlink, --exec-from-writable and --tmp-size need "
             "--private-mounts");
    }
    v->uid = o->uid;
    v->gid = o->gid;
    if (o->join.pid && v->enabled) fail("--join and --private-mounts exclude each other: a session joins the sandbox's mounts");
    if (o->netns) {
        o->netns_fd = open(o->netns, O_RDONLY | O_CLOEXEC);
        if (o->netns_fd < 0) fail("--netns %s: %s", o->netns, strerror(errno));
    }
    for (size_t i = 0; i < v->bind_count; i++) {
        struct bind *b = &v->binds[i];
        require_absolute(bind_option(b), b->source);
        require_absolute(bind_option(b), b->target);
        struct stat st;
        if (stat(b->source, &st) < 0) fail("%s %s: %s", bind_option(b), b->source, strerror(errno));
    }
    for (size_t i = 0; i < v->expose.len; i++) require_absolute("--expose", v->expose.items[i]);
    for (size_t i = 0; i < v->expose_writable.len; i++) require_absolute("--expose-writable", v->expose_writable.items[i]);
    for (size_t i = 0; i < v->link_count; i++) require_absolute("--symlink", v->links[i].link);
    for (size_t i = 0; i < o->cgroups.len; i++) require_absolute("--cgroup", o->cgroups.items[i]);
    if (o->join.pid) join_open(&o->join, o->netns_fd);
    if (o->die_with_parent && !v->enabled && !o->join.pid) {
        fail("--die-with-parent needs --private-mounts or --join (the relay watches the parent)");
    }
}

/* Core files hold what the process held, and a piped core_pattern starts a host helper as root. */
static void limit_core_dumps(void) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) < 0) fail("RLIMIT_CORE: %s", strerror(errno));
}

static void enter_view(struct options *o) {
    if (o->view.enabled) view_enter(&o->view);
    else if (o->join.pid) join_enter(&o->join);
}

static void enter_netns(const struct options *o) {
    if (o->netns_fd < 0) return;
    if (o->join.pid) { /* the init's network namespace, already joined (and checked to be this one) */
        close(o->netns_fd);
        return;
    }
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
    /* First: a parent that dies during the setup is seen by the relay as soon as it runs. */
    if (o.die_with_parent) watch_parent();
    join_cgroups(&o.cgroups);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("no_new_privs: %s", strerror(errno));
    limit_core_dumps();
    enter_view(&o);
    enter_netns(&o);
    int new_pid_namespace = o.view.enabled;
    if (new_pid_namespace) {
        if (unshare(CLONE_NEWPID) < 0) fail("unshare(CLONE_NEWPID): %s", strerror(errno));
    }
    if (new_pid_namespace || o.join.pid) {
        fork_relay();
        if (new_pid_namespace) view_mount_proc();
    }
    drop_capabilities();
    landlock_apply(o.landlock, &o.read_only, &o.read_write, new_pid_namespace || o.join.pid != NULL);
    if (o.seccomp) seccomp_apply();
    /* Still privileged: a workdir below a directory the agent may not search (a 0700 home) works. */
    if (o.chdir && chdir(o.chdir) < 0) fail("chdir %s: %s", o.chdir, strerror(errno));
    switch_user(&o);
    verify_unprivileged();
    keep_lifeline();
    if (new_pid_namespace) fork_init();
    restore_signals();
    /* Descriptors the supervisor leaked by mistake must not reach the agent. */
    syscall(__NR_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    int err = exec_program(o.program);
    fprintf(stderr, "openshell-launch: exec %s: %s\n", o.program[0], strerror(err));
    return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}
