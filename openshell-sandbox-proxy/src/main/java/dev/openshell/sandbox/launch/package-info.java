/**
 * Starting the agent confined: the native {@code openshell-launch} binary and its Java side.
 *
 * <p>A JVM cannot run code between fork and exec, so the supervisor spawns the small C program
 * in {@code src/main/c} (built by the Maven build into {@code native/linux-x86_64/}; see
 * {@link dev.openshell.sandbox.launch.LauncherBinary}). It applies, to itself and then
 * {@code execve}s: joins the sandbox's cgroups ({@code --cgroup DIR}, before anything forks);
 * no_new_privs; core dumps off ({@code RLIMIT_CORE} 0, soft and hard); the agent's own root
 * ({@link dev.openshell.sandbox.launch.AgentView}: only the policy's paths, the sandbox's own
 * {@code /tmp}, {@code /var/tmp}, {@code /run}, {@code /dev} and {@code /proc}, the binds; every
 * writable place {@code noexec} unless the policy says {@code exec_from_writable}); the network
 * namespace; its own PID namespace (the launcher stays outside as a relay, an init is pid 1, the
 * agent pid 2); an empty capability bounding and ambient set; Landlock; seccomp; the work directory
 * entered while still privileged; the {@code --user}/{@code --group} ids (never root, verified; the
 * supervisor passes the sandbox's own numeric uid and gid). An SSH session's launcher joins the
 * sandbox's cgroups and then a running sandbox's namespaces instead ({@code --join}). {@link
 * dev.openshell.sandbox.launch.LaunchSpec} turns the policy's static sections into its command
 * line; {@code openshell-launch --help} documents every option, the Landlock baseline (read-write
 * {@code /dev/null}, {@code /dev/zero}, {@code /dev/full}, {@code /dev/tty}, {@code /dev/pts},
 * {@code /dev/ptmx}, {@code /dev/shm}; read-only {@code /dev/urandom}, {@code /dev/random},
 * {@code /proc}) and the exit codes (the program's own; 125 setup failure with one
 * {@code openshell-launch:} line on stderr; 126 cannot execute; 127 not found).
 *
 * <p>Seccomp returns EPERM for packet, raw and vsock sockets, netlink other than route, every
 * namespace flag of {@code unshare}/{@code clone} ({@code clone3} gets ENOSYS so libc falls back to
 * {@code clone}), {@code setns}, the old and new mount APIs, {@code bpf}, {@code ptrace},
 * {@code process_vm_*}, {@code kexec_*}, module loading, swap, reboot, {@code open_by_handle_at},
 * {@code userfaultfd}, {@code perf_event_open}, the keyring calls, io_uring (it bypasses seccomp),
 * {@code pidfd_getfd}, {@code personality} other than the plain Linux ones, the TIOCSTI/TIOCLINUX
 * ioctls, and set-id mode bits in {@code chmod}, {@code fchmod*}, {@code creat}, {@code mknod*} and
 * creating {@code open}/{@code openat}; {@code memfd_create} and {@code memfd_secret} get ENOSYS (a
 * memfd is executable memory with a path, on no noexec mount), and so does {@code openat2} (its mode
 * is out of the filter's reach); x32 calls get EPERM and foreign architectures are killed.
 *
 * <p>{@code --tmp-size BYTES} sizes the sandbox's writable tmpfs places ({@code /tmp}, {@code
 * /var/tmp}, {@code /dev/shm}; tmpfs pages are charged to the writer's memory cgroup, so they
 * count against the sandbox's memory limit too).
 *
 * <p>{@code --bind-idmapped SRC:DST} shows a user's directory (the workdir) in the agent's root
 * through an idmapped mount ({@code open_tree} + {@code mount_setattr(MOUNT_ATTR_IDMAP)}, see
 * {@code idmap.c}, attached like every other tree of the view) that shows SRC's owner and group as
 * the agent's uid and gid: the agent writes where the owner may, what it creates belongs to the
 * owner on the host, files of other owners show as 65534 and can be neither changed nor removed
 * through it; noexec (unless {@code exec_from_writable}), nosuid, nodev; a root-owned SRC is
 * refused. {@code --probe-idmap DIR} tells whether that can work for DIR (filesystems without
 * support: nfs, fuse, ramfs, ...).
 *
 * <p>On Landlock ABI 6+ the agent also cannot signal or reach abstract unix sockets of processes
 * outside its domain, even when two sandboxes run as the same account.
 *
 * <p>Launch overhead (this 2-core VM, under load): {@code openshell-launch} with a typical policy
 * then {@code /bin/true} costs about one extra exec of a small dynamic binary, ≈6 ms CPU and
 * p50 +10 to +20 ms wall over {@code /bin/true} alone; a JVM doing the same ({@code java
 * -Xshare:auto -version} as a lower bound) costs ≈150 ms CPU and p50 ≈460 ms.
 */
package dev.openshell.sandbox.launch;
