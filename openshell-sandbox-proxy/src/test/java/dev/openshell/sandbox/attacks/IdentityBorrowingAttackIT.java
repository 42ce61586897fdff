package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy lets only {@code /usr/bin/curl} reach {@code api.test}; the agent tries to run its own
 * code as curl, so that the proxy, which identifies callers by their executable, admits it. The
 * payload ({@code attacks/borrowed-identity.c}, compiled by the test) announces itself with
 * {@code BORROWED} and sends a request of its own; it must neither run nor reach the server:
 * {@code LD_PRELOAD} and {@code LD_AUDIT} from {@code /tmp}, the work directory and {@code
 * /dev/shm}, {@code dlopen}, the dynamic loader run directly on a file in {@code /tmp}, a memfd
 * (preloaded through {@code /proc/self/fd}, or executed), and tampering with a running curl
 * ({@code process_vm_writev}, {@code ptrace}, {@code /proc/<pid>/mem}, {@code pidfd_getfd}), and
 * weakening a curl it starts ({@code personality}). SSH sessions get the same.
 */
@SandboxHost
@RequiresTool("cc") // compiles its payload
class IdentityBorrowingAttackIT {

    private static final String LOADER = "/lib64/ld-linux-x86-64.so.2";

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy() + """
                network_policies:
                  curl_only:
                    endpoints:
                      - {host: api.test, port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}
                    binaries: [{path: /usr/bin/curl}]
                """);
        Path source = attack.workdir().resolve("borrowed-identity.c");
        try (InputStream in = IdentityBorrowingAttackIT.class.getResourceAsStream("/attacks/borrowed-identity.c")) {
            Files.write(source, in.readAllBytes());
        }
        compile("-shared", "-fPIC", "-o", attack.workdir().resolve("borrow.so").toString(), source.toString());
        compile("-o", attack.workdir().resolve("borrow").toString(), source.toString());
        for (String name : List.of("borrow.so", "borrow", "borrowed-identity.c")) {
            Files.setPosixFilePermissions(attack.workdir().resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (attack != null) {
            attack.close();
        }
    }

    private static void compile(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("cc", "-O1"));
        command.addAll(List.of(arguments));
        Process cc = new ProcessBuilder(command).inheritIO().start();
        assertThat(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0)
                .as(String.join(" ", command))
                .isTrue();
    }

    /** The variables that tell the payload where to send its own request, marked with {@code name}. */
    private static String payloadTarget(String name) {
        return "BORROW_URL=" + attack.http("api.test", "/borrowed-" + name) + " BORROW_HOST=api.test:"
                + attack.httpPort() + " ";
    }

    private static String curl(String name) {
        return "curl -sS " + attack.http("api.test", "/carrier-" + name);
    }

    private static void assertNeverRan(AgentShell.Result result, String name) {
        assertThat(result.output()).as(name + ": " + result.output()).doesNotContain("BORROWED");
        assertThat(attack.requests()).as(name).noneMatch(r -> r.contains("/borrowed-"));
    }

    @Test
    void curlItselfIsAllowedAndPythonIsNot() throws Exception {
        AgentShell.Result curl = attack.sh(curl("plain"));
        AgentShell.Result python = attack.sh("python3 -c \"import urllib.request; urllib.request.urlopen('"
                + attack.http("api.test", "/python") + "')\"");

        assertThat(curl.output()).isEqualTo("GET /carrier-plain body=0\n");
        assertThat(python.output()).contains("403");
    }

    @Test
    void codeFromWritablePlacesNeverRunsInsideAListedBinary() throws Exception {
        List<String[]> attempts = List.of(
                new String[] {
                    "preload-tmp",
                    "cp borrow.so /tmp/b.so && " + payloadTarget("preload-tmp") + "LD_PRELOAD=/tmp/b.so "
                            + curl("preload-tmp")
                },
                new String[] {
                    "preload-workdir",
                    payloadTarget("preload-workdir") + "LD_PRELOAD=$PWD/borrow.so " + curl("preload-workdir")
                },
                new String[] {
                    "preload-shm",
                    "cp borrow.so /dev/shm/b.so && " + payloadTarget("preload-shm") + "LD_PRELOAD=/dev/shm/b.so "
                            + curl("preload-shm")
                },
                new String[] {
                    "audit-tmp",
                    "cp borrow.so /tmp/a.so && " + payloadTarget("audit-tmp") + "LD_AUDIT=/tmp/a.so "
                            + curl("audit-tmp")
                },
                new String[] {
                    "library-path",
                    "mkdir -p /tmp/lib && cp borrow.so /tmp/lib/libcurl.so.4 && " + payloadTarget("library-path")
                            + "LD_LIBRARY_PATH=/tmp/lib " + curl("library-path")
                },
                new String[] {
                    "loader-preload",
                    "cp borrow.so /tmp/c.so && " + payloadTarget("loader-preload")
                            + LOADER + " --preload /tmp/c.so /usr/bin/curl -sS "
                            + attack.http("api.test", "/carrier-loader-preload")
                },
                new String[] {"loader-exec", "cp borrow /tmp/x && " + payloadTarget("loader-exec") + LOADER + " /tmp/x"
                },
                new String[] {
                    "exec-tmp", "cp borrow /tmp/y && chmod +x /tmp/y && " + payloadTarget("exec-tmp") + "/tmp/y"
                },
                new String[] {
                    "dlopen",
                    "cp borrow.so /tmp/d.so && " + payloadTarget("dlopen")
                            + "python3 -c \"import ctypes; ctypes.CDLL('/tmp/d.so')\""
                });
        for (String[] attempt : attempts) {
            assertNeverRan(attack.sh(attempt[1]), attempt[0]);
        }
        // curl itself still runs, with the payload refused (the loader says why on stderr)
        assertThat(attack.requests()).contains("GET /carrier-preload-tmp body=0");
    }

    @Test
    void memfdCodeCannotBeLoadedOrExecuted() throws Exception {
        AgentShell.Result preload = attack.sh(payloadTarget("memfd") + "python3 -c '\n"
                + "import os, subprocess, sys\n"
                + "try:\n"
                + "    fd = os.memfd_create(\"x\", 0)\n"
                + "except OSError as e:\n"
                + "    sys.exit(\"memfd_create: %d\" % e.errno)\n"
                + "os.write(fd, open(\"borrow.so\", \"rb\").read())\n"
                + "env = dict(os.environ, LD_PRELOAD=\"/proc/self/fd/%d\" % fd)\n"
                + "subprocess.run([\"curl\", \"-sS\", \"" + attack.http("api.test", "/carrier-memfd") + "\"],"
                + " env=env, pass_fds=(fd,))\n"
                + "'");
        AgentShell.Result exec = attack.sh(payloadTarget("memfd-exec") + "python3 -c '\n"
                + "import os, subprocess, sys\n"
                + "try:\n"
                + "    fd = os.memfd_create(\"y\", 0)\n"
                + "except OSError as e:\n"
                + "    sys.exit(\"memfd_create: %d\" % e.errno)\n"
                + "os.write(fd, open(\"borrow\", \"rb\").read())\n"
                + "subprocess.run([\"/proc/self/fd/%d\" % fd], pass_fds=(fd,))\n"
                + "'");

        assertNeverRan(preload, "memfd preload");
        assertNeverRan(exec, "memfd exec");
    }

    @Test
    void aRunningCurlCannotBeWrittenTracedOrRobbedOfItsDescriptors() throws Exception {
        AgentShell.Result result = attack.sh("sleep 20 | curl -sS -T - " + attack.http("api.test", "/upload")
                + " & sleep 0.5; python3 -c '\n"
                + "import ctypes, os, subprocess\n"
                + "libc = ctypes.CDLL(None, use_errno=True)\n"
                + "pid = int(subprocess.check_output([\"pgrep\", \"-n\", \"-x\", \"curl\"]))\n"
                + "def report(name, rc):\n"
                + "    print(name, \"allowed\" if rc >= 0 else os.strerror(ctypes.get_errno()))\n"
                + "class iovec(ctypes.Structure):\n"
                + "    _fields_ = [(\"base\", ctypes.c_void_p), (\"len\", ctypes.c_size_t)]\n"
                + "buf = ctypes.create_string_buffer(8)\n"
                + "local = iovec(ctypes.cast(buf, ctypes.c_void_p), 8)\n"
                + "remote = iovec(0x400000, 8)\n"
                + "libc.process_vm_writev.restype = ctypes.c_ssize_t\n"
                + "report(\"process_vm_writev\", libc.process_vm_writev(pid, ctypes.byref(local), 1,"
                + " ctypes.byref(remote), 1, 0))\n"
                + "report(\"ptrace\", libc.ptrace(16, pid, 0, 0))\n"
                + "try:\n"
                + "    open(\"/proc/%d/mem\" % pid, \"r+b\"); print(\"mem allowed\")\n"
                + "except OSError as e:\n"
                + "    print(\"mem\", e.strerror)\n"
                + "sockets = [int(f) for f in os.listdir(\"/proc/%d/fd\" % pid)"
                + " if os.readlink(\"/proc/%d/fd/%s\" % (pid, f)).startswith(\"socket:\")]\n"
                + "pidfd = os.pidfd_open(pid)\n"
                + "report(\"pidfd_getfd\", libc.syscall(438, pidfd, sockets[0] if sockets else 2, 0))\n"
                + "'; kill %1 2>/dev/null; wait");

        assertThat(result.output().lines())
                .as(result.output())
                .contains(
                        "process_vm_writev Operation not permitted",
                        "ptrace Operation not permitted",
                        "mem Permission denied",
                        "pidfd_getfd Operation not permitted");
    }

    @Test
    void aCurlItStartsCannotHaveItsAddressSpaceWeakened() throws Exception {
        AgentShell.Result result = attack.sh("setarch x86_64 -R " + curl("setarch") + "; echo rc=$?;"
                + " setarch x86_64 --read-implies-exec true; echo rc=$?");

        assertThat(result.output()).contains("Operation not permitted").doesNotContain("rc=0");
        assertThat(attack.requests()).doesNotContain("GET /carrier-setarch body=0");
    }

    @Test
    void sshSessionsDoNotBorrowTheIdentityOfTheHostProcessesAboveThem() throws Exception {
        // A policy for a Java agent names the JVM; the supervisor (and its SSH server) is a JVM too.
        String jvm = Path.of(ProcessHandle.current().info().command().orElseThrow())
                .toRealPath()
                .toString();
        var outcome = attack.supervisor()
                .reload(
                        attack.fill(SandboxFixture.systemPolicy() + """
                                network_policies:
                                  curl_only:
                                    endpoints:
                                      - {host: api.test, port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}
                                    binaries: [{path: /usr/bin/curl}]
                                  java_agent:
                                    endpoints:
                                      - {host: other.test, port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}
                                    binaries: [{path: "%s"}]
                                """.formatted(jvm))
                                .getBytes(StandardCharsets.UTF_8),
                        "test");
        assertThat(outcome.loaded()).as(outcome.error()).isTrue();

        AgentShell.Result ssh = attack.ssh("curl -sS " + attack.http("other.test", "/from-ssh"));
        AgentShell.Result agent = attack.sh("curl -sS " + attack.http("other.test", "/from-agent"));

        assertThat(ssh.output()).contains("policy_denied");
        assertThat(agent.output()).contains("policy_denied");
        assertThat(attack.requests()).noneMatch(r -> r.contains("/from-"));
    }

    @Test
    void sshSessionsCannotLoadWritableCodeEither() throws Exception {
        AgentShell.Result result = attack.ssh("cd " + attack.workdir() + " && cp borrow.so /tmp/s.so && "
                + payloadTarget("ssh") + "LD_PRELOAD=/tmp/s.so " + curl("ssh"));

        assertNeverRan(result, "ssh preload");
        assertThat(result.output()).contains("GET /carrier-ssh body=0");
    }
}
