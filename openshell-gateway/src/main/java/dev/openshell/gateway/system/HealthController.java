package dev.openshell.gateway.system;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.gateway.auth.Unauthenticated;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Probes, open to anyone and revealing nothing else: {@code /healthz} answers while the process
 * serves; {@code /readyz} also needs the database to answer.
 */
@RestController
class HealthController {

    private final JdbcClient db;

    HealthController(JdbcClient db) {
        this.db = db;
    }

    @Unauthenticated
    @GetMapping(ApiPaths.HEALTHZ)
    Map<String, String> healthz() {
        return Map.of("status", "ok");
    }

    @Unauthenticated
    @GetMapping(ApiPaths.READYZ)
    ResponseEntity<?> readyz() {
        try {
            db.sql("SELECT 1").query(Integer.class).single();
            return ResponseEntity.ok(Map.of("status", "ready"));
        } catch (RuntimeException e) {
            return ResponseEntity.status(503)
                    .contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE))
                    .body(Problem.of(ErrorCode.UNAVAILABLE, "not ready").withInstance(ApiPaths.READYZ));
        }
    }
}
