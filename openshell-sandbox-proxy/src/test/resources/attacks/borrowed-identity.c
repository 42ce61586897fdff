/*
 * Test payload for IdentityBorrowingAttackIT: code an agent wrote, trying to run inside another
 * program. When it runs it says so on stderr ("BORROWED by <exe>"), then sends one request
 * through the sandbox proxy as whatever process loaded it: GET $BORROW_URL (Host: $BORROW_HOST).
 *
 * Built three ways by the test: a shared object (LD_PRELOAD, dlopen), the same as an LD_AUDIT
 * module (la_version), and an executable (for the loader, ld-linux.so /tmp/x).
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void borrow(void) {
    char exe[PATH_MAX] = "?";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) exe[n] = '\0';
    fprintf(stderr, "BORROWED by %s\n", exe);
    const char *proxy = getenv("http_proxy");
    const char *url = getenv("BORROW_URL");
    const char *host = getenv("BORROW_HOST");
    unsigned a, b, c, d, port;
    if (!proxy || !url || !host || sscanf(proxy, "http://%u.%u.%u.%u:%u", &a, &b, &c, &d, &port) != 5) return;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    to.sin_addr.s_addr = htonl(a << 24 | b << 16 | c << 8 | d);
    if (connect(s, (struct sockaddr *)&to, sizeof(to)) == 0) {
        char request[1024];
        int len = snprintf(request, sizeof(request), "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", url,
                           host);
        if (write(s, request, (size_t)len) == len) {
            char reply[512];
            ssize_t got = read(s, reply, sizeof(reply) - 1);
            if (got > 0) {
                reply[got] = '\0';
                fprintf(stderr, "BORROWED reply: %.*s\n", (int)strcspn(reply, "\r\n"), reply);
            }
        }
    }
    close(s);
}

__attribute__((constructor)) static void on_load(void) { borrow(); }

/* Makes the shared object a valid LD_AUDIT module too. */
unsigned int la_version(unsigned int version) { return version; }

int main(void) { return 0; }
