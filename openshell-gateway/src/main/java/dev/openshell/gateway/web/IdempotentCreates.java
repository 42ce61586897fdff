package dev.openshell.gateway.web;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiHeaders;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.api.json.ApiJson;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.db.Sealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key} on creates. The first request with a key claims it in the database
 * (an insert that only one of any number of concurrent requests can win, on SQLite and
 * PostgreSQL alike) and stores its answer; a retry within the retention period gets that answer
 * again, waiting while the first is still running, and never creates a second object. The same
 * key with a different body is {@code idempotency_key_reused}. A create that failed unexpectedly
 * releases its key, so a retry can succeed; a 4xx answer is kept like a success. Keys are per
 * caller and per operation.
 */
@Component
public class IdempotentCreates {

    public static final String REPLAYED = "Idempotent-Replayed";
    private static final Duration POLL = Duration.ofMillis(25);
    private static final String PURPOSE = "idempotency_keys.response";

    private final JdbcClient db;
    private final Clock clock;
    private final Duration retention;
    private final Duration waitForFirst;
    private final Sealer sealer;

    public IdempotentCreates(JdbcClient db, Clock clock, GatewayProperties properties, Sealer sealer) {
        this.db = db;
        this.sealer = sealer;
        this.clock = clock;
        this.retention = properties.limits().idempotencyRetention();
        this.waitForFirst = properties.limits().readyTimeout().plusSeconds(30);
    }

    /** Stored state of a key. */
    private record Claim(String requestHash, Integer status, String response) {}

    /**
     * Runs {@code action} once per key and answers 201 with its result (and a {@code Location} made
     * by {@code location}, if given).
     */
    public <T> ResponseEntity<T> create(
            String caller,
            String operation,
            String key,
            Object body,
            Class<T> type,
            Supplier<T> action,
            Function<T, String> location) {
        if (key == null) {
            return created(action.get(), location, false);
        }
        ApiHeaders.idempotencyKeyViolation(key).ifPresent(why -> {
            throw ApiException.invalid(ApiHeaders.IDEMPOTENCY_KEY, why);
        });
        String hash = hash(body);
        Instant now = clock.instant();
        db.sql("DELETE FROM idempotency_keys WHERE caller = ? AND operation = ? AND idem_key = ? AND created_at < ?")
                .params(caller, operation, key, now.minus(retention).toEpochMilli())
                .update();
        int claimed = db.sql("""
                INSERT INTO idempotency_keys (caller, operation, idem_key, request_hash, created_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(caller, operation, key, hash, now.toEpochMilli())
                .update();
        if (claimed == 1) {
            return runFirst(caller, operation, key, type, action, location);
        }
        return replay(caller, operation, key, hash, type, location);
    }

    private <T> ResponseEntity<T> runFirst(
            String caller,
            String operation,
            String key,
            Class<T> type,
            Supplier<T> action,
            Function<T, String> location) {
        T result;
        try {
            result = action.get();
        } catch (ApiException e) {
            if (e.problem().status() >= 400 && e.problem().status() < 500) {
                store(
                        caller,
                        operation,
                        key,
                        e.problem().status(),
                        ApiJson.strict().writeValueAsString(e.problem()));
            } else {
                release(caller, operation, key);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            release(caller, operation, key);
            throw e;
        }
        store(caller, operation, key, 201, ApiJson.strict().writeValueAsString(result));
        return created(result, location, false);
    }

    private <T> ResponseEntity<T> replay(
            String caller, String operation, String key, String hash, Class<T> type, Function<T, String> location) {
        long deadline = System.nanoTime() + waitForFirst.toNanos();
        while (true) {
            Optional<Claim> claim = db.sql("""
                    SELECT request_hash, status, response FROM idempotency_keys
                    WHERE caller = ? AND operation = ? AND idem_key = ?""")
                    .params(caller, operation, key)
                    .query((rs, row) -> new Claim(
                            rs.getString("request_hash"),
                            rs.getObject("status") == null ? null : rs.getInt("status"),
                            rs.getString("response") == null ? null : sealer.open(rs.getString("response"), PURPOSE)))
                    .optional();
            if (claim.isEmpty()) {
                // The first request failed and released the key: this one may try.
                throw new ApiException(
                        ErrorCode.CONFLICT, "the first request with this Idempotency-Key failed; retry it");
            }
            if (!claim.get().requestHash().equals(hash)) {
                throw new ApiException(
                        ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "this Idempotency-Key was used for a request with a different body");
            }
            if (claim.get().status() != null) {
                int status = claim.get().status();
                if (status >= 400) {
                    throw new ApiException(
                            ApiJson.lenient().readValue(claim.get().response(), Problem.class));
                }
                return created(ApiJson.lenient().readValue(claim.get().response(), type), location, true);
            }
            if (System.nanoTime() > deadline) {
                throw new ApiException(
                        ErrorCode.CONFLICT, "the first request with this Idempotency-Key is still running");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted");
            }
        }
    }

    private void store(String caller, String operation, String key, int status, String response) {
        // Sealed: a token create's answer holds the token's secret.
        db.sql(
                        "UPDATE idempotency_keys SET status = ?, response = ? WHERE caller = ? AND operation = ? AND idem_key = ?")
                .params(status, sealer.seal(response, PURPOSE), caller, operation, key)
                .update();
    }

    private void release(String caller, String operation, String key) {
        db.sql("DELETE FROM idempotency_keys WHERE caller = ? AND operation = ? AND idem_key = ?")
                .params(caller, operation, key)
                .update();
    }

    /** Forgets keys older than the retention period. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public void purge() {
        db.sql("DELETE FROM idempotency_keys WHERE created_at < ?")
                .param(clock.instant().minus(retention).toEpochMilli())
                .update();
    }

    private static <T> ResponseEntity<T> created(T result, Function<T, String> location, boolean replayed) {
        var answer = ResponseEntity.status(201);
        if (location != null) {
            answer.header("Location", location.apply(result));
        }
        if (replayed) {
            answer.header(REPLAYED, "true");
        }
        return answer.body(result);
    }

    private String hash(Object body) {
        return sealer.fingerprint(body == null ? new byte[0] : ApiJson.strict().writeValueAsBytes(body));
    }
}
