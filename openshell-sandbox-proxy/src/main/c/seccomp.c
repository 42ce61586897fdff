/*
 * The seccomp filter (x86_64 only).
 *
 * Returns EPERM for:
 *   - x32 system calls (nr >= 0x40000000); any other architecture (e.g. int 0x80) kills the process;
 *   - socket/socketpair with AF_PACKET or AF_VSOCK, AF_NETLINK with any protocol but NETLINK_ROUTE
 *     (getifaddrs/getaddrinfo need route netlink, which uses SOCK_RAW), and SOCK_RAW or SOCK_PACKET
 *     in every other family (type & 0xf, so SOCK_CLOEXEC/SOCK_NONBLOCK do not hide it);
 *   - unshare and clone with ANY namespace flag (not only CLONE_NEWNET: a user namespace is the
 *     usual first step to everything else); clone3 gets ENOSYS because its flags sit behind a
 *     pointer seccomp cannot read, and libc then falls back to clone;
 *   - setns, mount, umount2, pivot_root and the new mount API (open_tree, move_mount, fsopen,
 *     fsconfig, fsmount, fspick, mount_setattr), bpf, ptrace, process_vm_readv/writev, kexec_load,
 *     kexec_file_load, init_module, finit_module, delete_module, swapon, swapoff, reboot,
 *     open_by_handle_at, userfaultfd, perf_event_open, keyctl, add_key, request_key;
 *   - io_uring_setup/enter/register: io_uring operations (e.g. IORING_OP_SOCKET) bypass seccomp;
 *   - pidfd_getfd: it would copy a descriptor out of another process of the same user, e.g. the
 *     connection the proxy admitted for a curl the agent started;
 *   - personality with anything but the plain Linux personalities (ADDR_NO_RANDOMIZE,
 *     READ_IMPLIES_EXEC, ... would weaken the address space of a program the agent starts);
 *   - ioctl TIOCSTI and TIOCLINUX: with a terminal shared with the user (openshell run --tty) they
 *     would push keystrokes into the user's shell after the agent exits (cf. CVE-2017-5226);
 *   - S_ISUID or S_ISGID in the mode of chmod, fchmod, fchmodat, fchmodat2, creat, mknod, mknodat,
 *     and of open/openat with O_CREAT or O_TMPFILE: through an idmapped workdir the agent's files
 *     belong to the directory's owner on the host, and a set-id program planted there would run as
 *     that owner for whoever starts it.
 *
 * Returns ENOSYS (as a kernel without them would) for memfd_create and memfd_secret: a memfd is
 * writable, executable memory with a path (/proc/self/fd/N) on no noexec mount, so code written
 * there could be preloaded into a program the network policy names. Programs that use memfds
 * fall back to files in /dev/shm, which is noexec, when the call is missing. Also ENOSYS for
 * openat2: its mode sits behind a pointer the filter cannot read, and libc falls back to openat.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch.h"

#if !defined(__x86_64__)
#error "openshell-launch's seccomp filter is written for x86_64"
#endif

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#define __NR_io_uring_enter 426
#define __NR_io_uring_register 427
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428
#define __NR_move_mount 429
#define __NR_fsopen 430
#define __NR_fsconfig 431
#define __NR_fsmount 432
#define __NR_fspick 433
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif
#ifndef __NR_memfd_secret
#define __NR_memfd_secret 447
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef SOCK_PACKET
#define SOCK_PACKET 10
#endif

#define X32_SYSCALL_BIT 0x40000000U
#define SET_ID_BITS 06000U /* S_ISUID | S_ISGID */
#define CREATING_FLAGS 020000100U /* O_CREAT | __O_TMPFILE: the mode argument counts */
#define NETLINK_ROUTE_PROTOCOL 0
#define NS_FLAGS_CLONE 0x7E020000U /* NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET */
#define NS_FLAGS_UNSHARE (NS_FLAGS_CLONE | 0x00000080U) /* + NEWTIME (in clone() that bit is CSIGNAL) */

static const uint32_t DENIED[] = {
    __NR_setns, __NR_mount, __NR_umount2, __NR_pivot_root, __NR_open_tree, __NR_move_mount, __NR_fsopen,
    __NR_fsconfig, __NR_fsmount, __NR_fspick, __NR_mount_setattr, __NR_bpf, __NR_ptrace, __NR_process_vm_readv,
    __NR_process_vm_writev, __NR_kexec_load, __NR_kexec_file_load, __NR_init_module, __NR_finit_module,
    __NR_delete_module, __NR_swapon, __NR_swapoff, __NR_reboot, __NR_open_by_handle_at, __NR_userfaultfd,
    __NR_perf_event_open, __NR_keyctl, __NR_add_key, __NR_request_key, __NR_io_uring_setup, __NR_io_uring_enter,
    __NR_io_uring_register, __NR_pidfd_getfd,
};

/* personality(2) values programs use: query, PER_LINUX, PER_LINUX32, and both with UNAME26. */
static const uint32_t PERSONALITIES[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};

/* A tiny assembler: jumps name forward labels, resolved to relative offsets at the end. */
enum label {
    NEXT = 0,
    L_IOCTL,
    L_SOCKET,
    L_NETLINK,
    L_UNSHARE,
    L_CLONE,
    L_MODE_ARG1,
    L_MODE_ARG2,
    L_OPEN,
    L_OPENAT,
    L_PERSONALITY,
    L_ALLOW,
    L_DENY,
    L_ENOSYS,
    L_KILL,
    LABEL_COUNT
};

#define MAX_INSNS 192

struct program {
    struct sock_filter insns[MAX_INSNS];
    enum label jt[MAX_INSNS];
    enum label jf[MAX_INSNS];
    int label_at[LABEL_COUNT];
    size_t len;
};

static void emit(struct program *p, uint16_t code, uint32_t k, enum label jt, enum label jf) {
    if (p->len == MAX_INSNS) fail("seccomp: filter too long");
    p->insns[p->len] = (struct sock_filter)BPF_STMT(code, k);
    p->jt[p->len] = jt;
    p->jf[p->len] = jf;
    p->len++;
}

static void stmt(struct program *p, uint16_t code, uint32_t k) { emit(p, code, k, NEXT, NEXT); }

static void jump(struct program *p, uint16_t op, uint32_t k, enum label jt, enum label jf) {
    emit(p, BPF_JMP | op | BPF_K, k, jt, jf);
}

static void place(struct program *p, enum label l) { p->label_at[l] = (int)p->len; }

static uint8_t offset(const struct program *p, size_t from, enum label l) {
    if (l == NEXT) return 0;
    int delta = p->label_at[l] - (int)from - 1;
    if (delta < 0 || delta > 255) fail("seccomp: bad jump");
    return (uint8_t)delta;
}

static void resolve(struct program *p) {
    for (size_t i = 0; i < p->len; i++) {
        if (BPF_CLASS(p->insns[i].code) != BPF_JMP) continue;
        p->insns[i].jt = offset(p, i, p->jt[i]);
        p->insns[i].jf = offset(p, i, p->jf[i]);
    }
}

/* The low 32 bits of a syscall argument (x86_64 is little-endian; int arguments live there). */
#define ARG_LO(n) ((uint32_t)offsetof(struct seccomp_data, args[n]))

static void build(struct program *p) {
    stmt(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    jump(p, BPF_JEQ, AUDIT_ARCH_X86_64, NEXT, L_KILL);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    jump(p, BPF_JGE, X32_SYSCALL_BIT, L_DENY, NEXT);
    for (size_t i = 0; i < sizeof(DENIED) / sizeof(*DENIED); i++) jump(p, BPF_JEQ, DENIED[i], L_DENY, NEXT);
    jump(p, BPF_JEQ, __NR_ioctl, L_IOCTL, NEXT);
    jump(p, BPF_JEQ, __NR_socket, L_SOCKET, NEXT);
    jump(p, BPF_JEQ, __NR_socketpair, L_SOCKET, NEXT);
    jump(p, BPF_JEQ, __NR_unshare, L_UNSHARE, NEXT);
    jump(p, BPF_JEQ, __NR_clone, L_CLONE, NEXT);
    jump(p, BPF_JEQ, __NR_chmod, L_MODE_ARG1, NEXT);
    jump(p, BPF_JEQ, __NR_fchmod, L_MODE_ARG1, NEXT);
    jump(p, BPF_JEQ, __NR_fchmodat, L_MODE_ARG2, NEXT);
    jump(p, BPF_JEQ, __NR_fchmodat2, L_MODE_ARG2, NEXT);
    jump(p, BPF_JEQ, __NR_creat, L_MODE_ARG1, NEXT);
    jump(p, BPF_JEQ, __NR_mknod, L_MODE_ARG1, NEXT);
    jump(p, BPF_JEQ, __NR_mknodat, L_MODE_ARG2, NEXT);
    jump(p, BPF_JEQ, __NR_open, L_OPEN, NEXT);
    jump(p, BPF_JEQ, __NR_openat, L_OPENAT, NEXT);
    jump(p, BPF_JEQ, __NR_openat2, L_ENOSYS, NEXT);
    jump(p, BPF_JEQ, __NR_personality, L_PERSONALITY, NEXT);
    jump(p, BPF_JEQ, __NR_memfd_create, L_ENOSYS, NEXT);
    jump(p, BPF_JEQ, __NR_memfd_secret, L_ENOSYS, NEXT);
    jump(p, BPF_JEQ, __NR_clone3, L_ENOSYS, L_ALLOW);

    place(p, L_IOCTL);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(1));
    jump(p, BPF_JEQ, TIOCSTI, L_DENY, NEXT);
    jump(p, BPF_JEQ, TIOCLINUX, L_DENY, L_ALLOW);

    place(p, L_SOCKET);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
    jump(p, BPF_JEQ, AF_PACKET, L_DENY, NEXT);
    jump(p, BPF_JEQ, AF_VSOCK, L_DENY, NEXT);
    jump(p, BPF_JEQ, AF_NETLINK, L_NETLINK, NEXT);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(1));
    stmt(p, BPF_ALU | BPF_AND | BPF_K, 0xf);
    jump(p, BPF_JEQ, SOCK_RAW, L_DENY, NEXT);
    jump(p, BPF_JEQ, SOCK_PACKET, L_DENY, L_ALLOW);

    place(p, L_NETLINK);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(2));
    jump(p, BPF_JEQ, NETLINK_ROUTE_PROTOCOL, L_ALLOW, L_DENY);

    place(p, L_UNSHARE);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
    jump(p, BPF_JSET, NS_FLAGS_UNSHARE, L_DENY, L_ALLOW);

    place(p, L_CLONE);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
    jump(p, BPF_JSET, NS_FLAGS_CLONE, L_DENY, L_ALLOW);

    place(p, L_OPEN);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(1));
    jump(p, BPF_JSET, CREATING_FLAGS, L_MODE_ARG2, L_ALLOW);

    place(p, L_OPENAT);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(2));
    jump(p, BPF_JSET, CREATING_FLAGS, NEXT, L_ALLOW);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(3));
    jump(p, BPF_JSET, SET_ID_BITS, L_DENY, L_ALLOW);

    place(p, L_MODE_ARG1);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(1));
    jump(p, BPF_JSET, SET_ID_BITS, L_DENY, L_ALLOW);

    place(p, L_MODE_ARG2);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(2));
    jump(p, BPF_JSET, SET_ID_BITS, L_DENY, L_ALLOW);

    place(p, L_PERSONALITY);
    stmt(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(0));
    size_t last = sizeof(PERSONALITIES) / sizeof(*PERSONALITIES) - 1;
    for (size_t i = 0; i <= last; i++) jump(p, BPF_JEQ, PERSONALITIES[i], L_ALLOW, i == last ? L_DENY : NEXT);

    place(p, L_ALLOW);
    stmt(p, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    place(p, L_DENY);
    stmt(p, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
    place(p, L_ENOSYS);
    stmt(p, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
    place(p, L_KILL);
    stmt(p, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    resolve(p);
}

int seccomp_available(void) { return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0; }

void seccomp_apply(void) {
    static struct program p;
    build(&p);
    struct sock_fprog prog = {.len = (unsigned short)p.len, .filter = p.insns};
    if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) fail("seccomp: %s", strerror(errno));
}
