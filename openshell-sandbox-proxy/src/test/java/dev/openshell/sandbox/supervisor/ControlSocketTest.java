package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.json.SandboxJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketTest {

    @TempDir
    Path dir;

    @Test
    void oneRequestPerConnectionWithItsBody() throws Exception {
        Path path = dir.resolve(ControlSocket.FILE);
        try (ControlSocket socket = new ControlSocket(
                path,
                (command, body) -> SandboxJson.mapper()
                        .writeValueAsString(Map.of(
                                "ok", true, "command", command, "body", new String(body, StandardCharsets.UTF_8))))) {
            assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            Map<String, Object> reply = ControlSocket.request(
                    path, "reload", "version: 1\nnetwork_policies: {}\n".getBytes(StandardCharsets.UTF_8));

            assertThat(reply)
                    .containsEntry("ok", true)
                    .containsEntry("command", "reload")
                    .containsEntry("body", "version: 1\nnetwork_policies: {}\n");
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void aHandlerFailureIsAnErrorReplyAndNoSocketIsUnreachable() throws Exception {
        Path path = dir.resolve(ControlSocket.FILE);
        try (ControlSocket socket = new ControlSocket(path, (command, body) -> {
            throw new IllegalStateException("boom");
        })) {
            assertThat(ControlSocket.request(path, "status", new byte[0]))
                    .containsEntry("ok", false)
                    .containsEntry("error", "boom");
        }
        assertThatThrownBy(() -> ControlSocket.request(path, "status", new byte[0]))
                .isInstanceOfSatisfying(
                        SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONTROL_UNREACHABLE));
    }
}
