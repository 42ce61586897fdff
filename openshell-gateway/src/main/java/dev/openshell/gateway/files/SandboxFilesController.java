package dev.openshell.gateway.files;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.auth.Scope;
import dev.openshell.gateway.auth.RequiresScope;
import dev.openshell.gateway.web.Names;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code /api/v1/sandboxes/{name}/files?path=P}: {@code PUT} a tar stream to extract into directory
 * P, {@code GET} P as a tar stream. Both need {@code sandbox:exec}: they read and write what the
 * agent can.
 */
@RestController
class SandboxFilesController {

    static final String TAR = "application/x-tar";

    private final SandboxFiles files;

    SandboxFilesController(SandboxFiles files) {
        this.files = files;
    }

    @RequiresScope(Scope.SANDBOX_EXEC)
    @PutMapping(
            value = ApiPaths.SANDBOXES + "/{name}/files",
            consumes = {TAR, MediaType.APPLICATION_OCTET_STREAM_VALUE})
    ResponseEntity<Void> upload(@PathVariable String name, @RequestParam String path, HttpServletRequest request)
            throws IOException {
        files.upload(Names.require("name", name), path, request.getInputStream());
        return ResponseEntity.noContent().build();
    }

    @RequiresScope(Scope.SANDBOX_EXEC)
    @GetMapping(value = ApiPaths.SANDBOXES + "/{name}/files")
    ResponseEntity<StreamingResponseBody> download(@PathVariable String name, @RequestParam String path) {
        SandboxFiles.Download download = files.download(Names.require("name", name), path);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(TAR))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"" + download.fileName.replace("\"", "") + "\"")
                .body(download::writeTo);
    }
}
