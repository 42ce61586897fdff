/**
 * The per-sandbox SSH server and its client: {@code connect}, {@code exec}, upload/download and
 * port forwards into a sandbox.
 *
 * <p>{@link dev.openshell.sandbox.ssh.SandboxSshServer} (Apache MINA sshd) runs in the supervisor,
 * as root, in the host's namespaces, listening on {@code 127.0.0.1} (ephemeral port) with a
 * per-sandbox key pair; every process it starts goes through the sandbox launcher, so sessions
 * live under exactly the agent's confinement. Shells get a real pseudo-terminal allocated by the
 * supervisor (window changes resize it); {@code direct-tcpip} forwards connect from a socket created
 * inside the sandbox's network namespace; files travel as {@code cat}/{@code tar} over
 * {@code exec}. {@link dev.openshell.sandbox.ssh.SandboxSshClient} wraps the MINA client for the
 * supervisor, tests and the CLI; {@link dev.openshell.sandbox.ssh.SshEndpoint} names the files a
 * client needs, including an OpenSSH {@code ssh_config} block.
 *
 * <p>Latency ({@code SandboxSshServerIT.execLatency}, {@code true} N=50, this 2-core VM with a
 * load average of 7-12 from parallel builds): over an open connection p50 ≈ 40 ms, p99 ≈ 150 ms;
 * with a new connection (key exchange + auth) each p50 ≈ 220-290 ms. The launcher alone
 * ({@code openshell-launch ... sh -c true} from the same JVM) is p50 ≈ 15-18 ms of that; before
 * {@code TCP_NODELAY} Nagle and delayed ACKs added ~40 ms to channel open and close each. A 50 MB
 * file uploads in ≈ 1.3-2.4 s and downloads in ≈ 1.0-1.8 s.
 */
package dev.openshell.sandbox.ssh;
