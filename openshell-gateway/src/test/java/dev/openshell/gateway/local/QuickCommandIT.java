package dev.openshell.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.api.DeleteResult;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.gateway.support.TempDirs;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A command that ends before its sandbox's session to the gateway is up (a quick command, a loaded
 * machine): the sandbox still becomes Ready and reports the command's exit status, instead of
 * staying Provisioning because its only word was sent before anyone listened.
 */
@RequiresRoot
@RequiresTool({"ip", "nft"})
class QuickCommandIT {

    private Path data;
    private GatewayProcess gateway;

    @BeforeEach
    void setUp() {
        data = TempDirs.create("osh-quick-it");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        SandboxHostControl.shutdown(data.resolve("local"));
        TempDirs.delete(data);
    }

    @Test
    void aCommandThatEndsAtOnceIsReadyWithItsExitStatus() throws Exception {
        gateway = GatewayProcess.start(data);
        try (GatewayClient gw = gateway.operator()) {
            Sandbox created = gw.sandboxes()
                    .create(
                            new SandboxCreateRequest(
                                    "quick",
                                    List.of("sh", "-c", "exit 7"),
                                    Map.of(),
                                    Map.of(),
                                    null,
                                    List.of(),
                                    null,
                                    null,
                                    true),
                            RequestOptions.idempotent());

            assertThat(created.phase()).as(created.reason()).isEqualTo(SandboxPhase.READY);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(gw.sandboxes().get("quick").exitCode()).isEqualTo(7));
            assertThat(gw.sandboxes().delete("quick").result()).isEqualTo(DeleteResult.Outcome.DELETED);
        }
    }
}
