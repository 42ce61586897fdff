/*
 * Joining the sandbox's cgroups: the supervisor creates them (memory, pids and cpu limits) and
 * passes their directories; the launcher moves itself in before anything forks, so the agent and
 * everything it starts are counted and limited from their first instruction.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "launch.h"

void join_cgroups(const struct path_list *dirs) {
    char pid[32];
    int len = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
    for (size_t i = 0; i < dirs->len; i++) {
        const char *dir = dirs->items[i];
        if (dir[0] != '/') fail("--cgroup %s: must be an absolute path", dir);
        char procs[4096];
        if (snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir) >= (int)sizeof(procs)) {
            fail("--cgroup %s: path too long", dir);
        }
        int fd = open(procs, O_WRONLY | O_CLOEXEC);
        if (fd < 0) fail("--cgroup %s: %s", dir, strerror(errno));
        if (write(fd, pid, (size_t)len) != len) fail("--cgroup %s: cannot join: %s", dir, strerror(errno));
        close(fd);
    }
}
