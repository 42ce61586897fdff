/*
 * floor-proxy: the least a CONNECT proxy can do, to measure this machine's floor for the
 * "added latency per new tunnel" figure (bench/proxy-bench.sh runs it beside the real proxies
 * when FLOOR=1). No policy, no identity, no logging, no limits: accept, read the request head,
 * connect to the host:port it names (numeric only), answer 200, relay with poll(2). 64 threads
 * block in accept(2) and serve one connection each at a time (no thread made per connection,
 * blocking calls: the fewest system calls a tunnel can take). Not for any other use: it checks
 * nothing and lets anyone go anywhere.
 *
 *   cc -O2 -pthread -o floor-proxy bench/floor-proxy.c && ./floor-proxy 127.0.0.1 13130
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char OK[] = "HTTP/1.1 200 Connection Established\r\n\r\n";

static void serve(int c) {
    int u = -1, one = 1;
    char buf[65536], host[256];
    int have = 0, port = 0;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (;;) { /* the request head */
        ssize_t n = read(c, buf + have, sizeof buf - 1 - have);
        if (n <= 0) goto out;
        have += n;
        buf[have] = 0;
        if (strstr(buf, "\r\n\r\n")) break;
        if (have >= (int)sizeof buf - 1) goto out;
    }
    if (sscanf(buf, "CONNECT %255[^:]:%d ", host, &port) != 2) goto out;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, host, &to.sin_addr) != 1) goto out;
    u = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(u, (struct sockaddr *)&to, sizeof to) != 0) goto out;
    int extra = have - (int)(strstr(buf, "\r\n\r\n") + 4 - buf);
    if (write(c, OK, sizeof OK - 1) < 0) goto out;
    if (extra > 0 && write(u, buf + have - extra, extra) < 0) goto out;
    struct pollfd p[2] = {{.fd = c, .events = POLLIN}, {.fd = u, .events = POLLIN}};
    for (;;) {
        if (poll(p, 2, -1) < 0) goto out;
        for (int i = 0; i < 2; i++) {
            if (!p[i].revents) continue;
            ssize_t n = read(p[i].fd, buf, sizeof buf);
            if (n <= 0) goto out;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(p[1 - i].fd, buf + off, n - off);
                if (w <= 0) goto out;
                off += w;
            }
        }
    }
out:
    close(c);
    if (u >= 0) close(u);
}

static void *worker(void *arg) {
    int s = (int)(long)arg;
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c >= 0) serve(c);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: floor-proxy ADDRESS PORT\n"); return 2; }
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    inet_pton(AF_INET, argv[1], &at.sin_addr);
    if (bind(s, (struct sockaddr *)&at, sizeof at) || listen(s, 1024)) { perror("floor-proxy"); return 1; }
    pthread_t t;
    for (int i = 1; i < 64; i++) pthread_create(&t, NULL, worker, (void *)(long)s);
    worker((void *)(long)s);
}
