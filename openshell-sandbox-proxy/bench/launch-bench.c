/*
 * Times N fork/exec/wait4 of a command after W warm-ups: p50, p99 and min wall time, and the CPU
 * the command (with the children it waited for) used per run. docs/benchmarks.md uses it for the
 * launcher:  cc -O2 -o /tmp/launch-bench launch-bench.c && /tmp/launch-bench 200 10 -- CMD...
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: launch-bench N WARMUP -- CMD...\n"); return 2; }
    int n = atoi(argv[1]), warm = atoi(argv[2]);
    char **cmd = &argv[4];
    double *wall = calloc((size_t)n, sizeof(double));
    double cpu = 0;
    for (int i = -warm; i < n; i++) {
        struct timespec s, e;
        clock_gettime(CLOCK_MONOTONIC, &s);
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_RDWR);
            dup2(null, 0); dup2(null, 1);
            execvp(cmd[0], cmd);
            _exit(127);
        }
        int status;
        struct rusage ru;
        wait4(pid, &status, 0, &ru);
        clock_gettime(CLOCK_MONOTONIC, &e);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { fprintf(stderr, "run %d: status %d\n", i, status); return 1; }
        if (i < 0) continue;
        wall[i] = (e.tv_sec - s.tv_sec) * 1e3 + (e.tv_nsec - s.tv_nsec) / 1e6;
        cpu += ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
    }
    qsort(wall, (size_t)n, sizeof(double), cmp);
    printf("p50 %.1f ms  p99 %.1f ms  min %.1f ms  cpu %.2f ms/run  (n=%d)\n", wall[n / 2], wall[(n * 99 + 99) / 100 - 1], wall[0], cpu / n, n);
    return 0;
}
