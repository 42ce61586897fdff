package dev.openshell.cli.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LocalDriverGateway;
import dev.openshell.cli.support.SharedLocalGateway;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code forward start/list/stop} with a real TCP server inside a sandbox of a local-driver gateway. */
@RequiresRoot
@ExtendWith(SharedLocalGateway.class)
@RequiresTool({"ip", "nft", "ssh", "python3"})
class ForwardIT {

    static LocalDriverGateway gateway;
    static CliSession cli;

    @BeforeAll
    static void startGateway(LocalDriverGateway shared) {
        gateway = shared;
        cli = gateway.cli();
    }

    @Test
    void aLocalPortReachesAServerInTheSandboxUntilStopped() throws Exception {
        // The sandbox's main process is an HTTP server on its own loopback.
        String sandbox = gateway.sandbox(
                "fwd",
                "--",
                "sh",
                "-c",
                "cd /tmp && echo in-the-sandbox > hello.txt && exec python3 -m http.server 8765 --bind 127.0.0.1");
        int local = freePort();

        Result start = cli.run("forward", "start", sandbox, local + ":8765");
        Result list = cli.run("forward", "list");
        Result listJson = cli.run("forward", "list", "-o", "json");
        Result twice = cli.run("forward", "start", sandbox, local + ":8765");
        String body = getWithRetry("http://127.0.0.1:" + local + "/hello.txt");

        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(start.out()).startsWith("forwarding 127.0.0.1:" + local + " to fwd:8765 (pid ");
        assertThat(body).isEqualTo("in-the-sandbox\n");
        assertThat(list.out().lines().toList().get(0)).matches("LOCAL +SANDBOX +REMOTE +GATEWAY +PID +STATUS +AGE");
        assertThat(list.out()).containsPattern("127\\.0\\.0\\.1:" + local + " +fwd +8765 +sessions +\\d+ +running");
        assertThat(listJson.out()).contains("\"local_port\" : " + local, "\"sandbox\" : \"fwd\"");
        assertThat(twice.exitCode()).isEqualTo(4);
        assertThat(twice.err()).startsWith("error: port " + local + " already forwards to fwd:8765");

        Result stop = cli.run("forward", "stop", Integer.toString(local));
        Result after = cli.run("forward", "list");
        Result again = cli.run("forward", "stop", Integer.toString(local));

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).isEqualTo("forward on port " + local + " to fwd:8765 stopped\n");
        assertThat(refused(local))
                .as("nothing listens on the local port any more")
                .isTrue();
        assertThat(after.err()).startsWith("no forwards");
        assertThat(again.exitCode()).isEqualTo(3);
    }

    @Test
    void badPortsAndATakenPortAreOneLine() throws Exception {
        Result bad = cli.run("forward", "start", "whatever", "70000");
        Result notPort = cli.run("forward", "start", "whatever", "80:http");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result inUse = cli.run("forward", "start", "whatever", Integer.toString(taken.getLocalPort()));

            assertThat(inUse.exitCode()).isEqualTo(4);
            assertThat(inUse.err()).startsWith("error: port " + taken.getLocalPort() + " on 127.0.0.1 is in use");
        }
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error: '70000' is not a port (1-65535)");
        assertThat(notPort.err()).startsWith("error: 'http' is not a port");
    }

    static String getWithRetry(String url) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
            } catch (IOException e) {
                // the server in the sandbox may still be starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no answer from " + url);
            }
            Thread.sleep(500);
        }
    }

    static boolean refused(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
