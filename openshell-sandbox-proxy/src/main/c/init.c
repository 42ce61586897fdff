/*
 * The agent's PID namespace: the relay left outside it, the init inside it, and joining it.
 *
 * A new PID namespace applies to the children of the process that made it, so the launcher forks:
 *
 *   supervisor (JVM) ── launcher: the relay ── init (pid 1) ── agent (pid 2) ── ...
 *        host pid namespace          │          sandbox PID namespace
 *
 * The relay stays in the host's PID namespace, because the supervisor waits for the process it
 * started: it forwards signals to its child and exits with the child's status. The init reaps
 * orphans, forwards signals to the agent and, when the agent exits, asks the others to stop
 * (SIGTERM), gives them STOP_GRACE_MS, and exits with the agent's status (128 + n for a signal);
 * the kernel then kills whatever is left in the namespace. The agent is never pid 1, so it keeps
 * the ordinary signal semantics (pid 1 ignores signals it has no handler for).
 *
 * Only signals sent by a process are forwarded (si_code <= 0: kill, sigqueue, tgkill). Those the
 * terminal sends (Ctrl-C, Ctrl-\, a window change; si_code SI_KERNEL) already reach every process
 * of its foreground group, the agent included, so forwarding them again would deliver them twice.
 *
 * An SSH session joins an existing sandbox (--join PID): setns into the init's mount, network and
 * PID namespaces, then the same fork, with this process as the relay and the child as the session
 * (its orphans go to the sandbox's init; it ends when the sandbox does).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"

#define STOP_GRACE_MS 2000

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static const int FORWARDED[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

static sigset_t waited;
static int lifeline_fd = -1;
static int parent_fd = -1; /* a pidfd of the supervisor (--die-with-parent), watched by the relay */

void watch_parent(void) {
    pid_t parent = getppid();
    if (parent <= 1) fail("--die-with-parent: the parent has already exited");
    int fd = (int)syscall(SYS_pidfd_open, parent, 0);
    if (fd < 0) fail("--die-with-parent: pidfd_open(%d): %s", (int)parent, strerror(errno));
    /* The parent may have died between getppid and pidfd_open, its pid taken by another process. */
    if (getppid() != parent) fail("--die-with-parent: the parent has already exited");
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) fail("--die-with-parent: %s", strerror(errno));
    parent_fd = fd;
}

static void block_signals(void) {
    sigemptyset(&waited);
    for (size_t i = 0; i < sizeof(FORWARDED) / sizeof(*FORWARDED); i++) sigaddset(&waited, FORWARDED[i]);
    sigaddset(&waited, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &waited, NULL) < 0) fail("sigprocmask: %s", strerror(errno));
}

/* The agent starts as after a fresh login, whatever the caller ignored or blocked: a launcher
   started in the background (where shells ignore SIGINT and SIGQUIT) or under nohup would otherwise
   hand the agent ignored signals it cannot even trap. The kernel's call, not libc's: libc refuses
   the two real-time signals it keeps for itself, and a caller may have ignored those too. */
void restore_signals(void) {
    struct {
        void (*handler)(int);
        unsigned long flags;
        void (*restorer)(void);
        unsigned long mask;
    } default_action = {SIG_DFL, 0, NULL, 0};
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) syscall(SYS_rt_sigaction, sig, &default_action, NULL, sizeof default_action.mask);
    }
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) fail("sigprocmask: %s", strerror(errno));
}

static int status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return EXIT_SETUP;
}

/* Nothing of the caller's streams stays open in a process that only waits: EOF and EPIPE stay exact. */
static void detach_stdio(void) {
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) return;
    for (int fd = 0; fd <= 2; fd++) dup2(null, fd);
    if (null > 2) close(null);
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The exit code of CHILD if it has exited (reaping every other child on the way), else -1. */
static int reap(pid_t child) {
    int status;
    pid_t gone;
    while ((gone = waitpid(-1, &status, WNOHANG)) > 0) {
        if (gone == child) return status_code(status);
    }
    return -1;
}

/*
 * Waits for signals until CHILD has exited; returns its status as an exit code. With WATCHED (a
 * pidfd, or -1) readable, the watched process has died: CHILD is killed and then waited for.
 */
static int relay_until_exit(pid_t child, int watched) {
    int signals = -1;
    if (watched >= 0) {
        signals = signalfd(-1, &waited, SFD_CLOEXEC);
        if (signals < 0) {
            kill(child, SIGKILL);
            watched = -1;
        }
    }
    for (;;) {
        siginfo_t info;
        int sig;
        if (watched >= 0) {
            struct pollfd fds[2] = {{.fd = signals, .events = POLLIN}, {.fd = watched, .events = POLLIN}};
            if (poll(fds, 2, -1) < 0) continue;
            if (fds[1].revents) {
                kill(child, SIGKILL);
                close(watched);
                watched = -1;
            }
            if (!fds[0].revents) continue;
            struct signalfd_siginfo ssi;
            if (read(signals, &ssi, sizeof(ssi)) != (ssize_t)sizeof(ssi)) continue;
            sig = (int)ssi.ssi_signo;
            info.si_code = ssi.ssi_code;
        } else {
            sig = sigwaitinfo(&waited, &info);
            if (sig < 0) continue;
        }
        if (sig != SIGCHLD) {
            if (info.si_code <= 0) kill(child, sig);
            continue;
        }
        int code = reap(child);
        if (code >= 0) return code;
    }
}

void fork_relay(void) {
    block_signals();
    int lifeline[2];
    if (pipe2(lifeline, O_CLOEXEC) < 0) fail("pipe: %s", strerror(errno));
    pid_t child = fork();
    if (child < 0) fail("fork: %s", strerror(errno));
    if (child == 0) {
        close(lifeline[1]);
        if (parent_fd >= 0) {
            close(parent_fd);
            parent_fd = -1;
        }
        /* The relay's death ends the sandbox (SIGKILL to pid 1 kills the whole namespace). Set
           again after the user switch, which clears it; the pipe tells if the relay died before. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) fail("pdeathsig: %s", strerror(errno));
        struct pollfd p = {.fd = lifeline[0], .events = POLLIN};
        if (poll(&p, 1, 0) > 0) _exit(EXIT_SETUP);
        lifeline_fd = lifeline[0]; /* keep_lifeline() checks it again once the credentials changed */
        return;
    }
    close(lifeline[0]);
    detach_stdio();
    _exit(relay_until_exit(child, parent_fd));
}

void keep_lifeline(void) {
    if (lifeline_fd < 0) return;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) fail("pdeathsig: %s", strerror(errno));
    struct pollfd p = {.fd = lifeline_fd, .events = POLLIN};
    if (poll(&p, 1, 0) > 0) _exit(EXIT_SETUP);
    close(lifeline_fd);
    lifeline_fd = -1;
}

/* After the agent exited: SIGTERM to everyone else in the namespace, reaping until none is left or the grace ends. */
static void stop_the_rest(void) {
    if (kill(-1, SIGTERM) < 0) return; /* ESRCH: nobody else */
    long end = now_ms() + STOP_GRACE_MS;
    for (;;) {
        int status;
        pid_t gone = waitpid(-1, &status, WNOHANG);
        if (gone < 0 && errno == ECHILD) return;
        if (gone > 0) continue;
        long left = end - now_ms();
        if (left <= 0) return;
        struct timespec wait = {.tv_sec = 0, .tv_nsec = (left < 20 ? left : 20) * 1000000L};
        siginfo_t info;
        sigtimedwait(&waited, &info, &wait);
    }
}

void fork_init(void) {
    /* Not dumpable: the agent (same uid) can neither read this process's memory nor trace it.
       Both are set before the fork, so the agent never sees an init without them; its execve
       gives the agent its own name and the usual dumpable flag back. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    prctl(PR_SET_NAME, "openshell-init", 0, 0, 0);
    pid_t agent = fork();
    if (agent < 0) fail("fork the agent: %s", strerror(errno));
    if (agent == 0) return;
    detach_stdio();
    int code = relay_until_exit(agent, -1);
    stop_the_rest();
    _exit(code);
}

static int open_namespace(const char *pid, const char *kind) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, kind);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail("--join %s: %s (has the sandbox ended?)", pid, errno == ENOENT ? "no such process" : strerror(errno));
    }
    return fd;
}

static int same_namespace(int a, int b) {
    struct stat x, y;
    return fstat(a, &x) == 0 && fstat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

void join_open(struct join *j, int expected_netns_fd) {
    for (const char *c = j->pid; *c; c++)
        if (*c < '0' || *c > '9') fail("--join %s: expected a pid", j->pid);
    j->mnt_fd = open_namespace(j->pid, "mnt");
    j->pid_fd = open_namespace(j->pid, "pid");
    j->net_fd = open_namespace(j->pid, "net");
    /* The pid must still name the sandbox's init: in its network namespace, in a PID and mount
       namespace of its own (a recycled pid would name another process). */
    if (expected_netns_fd >= 0 && !same_namespace(j->net_fd, expected_netns_fd)) {
        fail("--join %s: not in the sandbox's network namespace", j->pid);
    }
    int own_pid = open_namespace("self", "pid");
    int own_mnt = open_namespace("self", "mnt");
    if (same_namespace(j->pid_fd, own_pid) || same_namespace(j->mnt_fd, own_mnt)) {
        fail("--join %s: not a sandbox init (it shares the host's namespaces)", j->pid);
    }
    close(own_pid);
    close(own_mnt);
}

void join_enter(struct join *j) {
    if (setns(j->mnt_fd, CLONE_NEWNS) < 0) fail("--join %s: mount namespace: %s", j->pid, strerror(errno));
    if (setns(j->net_fd, CLONE_NEWNET) < 0) fail("--join %s: network namespace: %s", j->pid, strerror(errno));
    if (setns(j->pid_fd, CLONE_NEWPID) < 0) fail("--join %s: PID namespace: %s", j->pid, strerror(errno));
    close(j->mnt_fd);
    close(j->net_fd);
    close(j->pid_fd);
}
