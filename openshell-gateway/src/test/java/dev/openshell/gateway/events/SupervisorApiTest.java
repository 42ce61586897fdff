package dev.openshell.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.api.Page;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.decision.Layer;
import dev.openshell.api.decision.Verdict;
import dev.openshell.api.policy.PolicyAck;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.gateway.support.ApiTestSupport;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** The supervisor endpoints, the supervisor token's confinement, and the decision and log queries they feed. */
class SupervisorApiTest extends ApiTestSupport {

    private Sandbox mine;
    private Sandbox other;
    private String supervisor;

    @BeforeEach
    void sandboxes() throws Exception {
        mine = create("sup-" + UUID.randomUUID().toString().substring(0, 8));
        other = create("oth-" + UUID.randomUUID().toString().substring(0, 8));
        supervisor = Files.readString(
                DATA_DIR.resolve("test-driver").resolve(mine.id()).resolve("token"));
    }

    @AfterEach
    void remove() throws Exception {
        mvc.perform(delete("/api/v1/sandboxes/" + mine.name()).with(operator()));
        mvc.perform(delete("/api/v1/sandboxes/" + other.name()).with(operator()));
    }

    private Sandbox create(String name) throws Exception {
        return read(
                mvc.perform(post("/api/v1/sandboxes")
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"name\":\"" + name + "\",\"command\":[\"sleep\",\"60\"],\"wait\":true}"))
                        .andExpect(status().isCreated())
                        .andReturn(),
                Sandbox.class);
    }

    private static DecisionRecord decision(String host, Verdict verdict, String binary) {
        return new DecisionRecord(
                Instant.now(),
                null,
                binary,
                42,
                List.of("/usr/bin/dash"),
                host,
                443,
                "CONNECT",
                null,
                verdict,
                Layer.L4,
                "p",
                "endpoints[0]",
                "because",
                1,
                120,
                null);
    }

    @Test
    void aSupervisorTokenActsOnlyForItsOwnSandbox() throws Exception {
        mvc.perform(post("/api/v1/sandboxes/" + mine.name() + "/supervisor/logs")
                        .with(bearer(supervisor))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(List.of(new LogLine(null, LogLine.Source.AGENT, LogLine.Stream.STDOUT, "hi")))))
                .andExpect(status().isNoContent());
        mvc.perform(post("/api/v1/sandboxes/" + other.name() + "/supervisor/logs")
                        .with(bearer(supervisor))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("[]"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/sandboxes/no-such-box/supervisor/logs")
                        .with(bearer(supervisor))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("[]"))
                .andExpect(status().isForbidden());
        for (String path : new String[] {
            "/api/v1/sandboxes/" + mine.name(),
            "/api/v1/sandboxes",
            "/api/v1/providers",
            "/api/v1/tokens",
            "/metrics",
            "/api/v1/decisions",
            "/api/v1/sandboxes/" + mine.name() + "/policy"
        }) {
            mvc.perform(get(path).with(bearer(supervisor))).andExpect(status().isForbidden());
        }
        // An ordinary token, even an admin one, is not a supervisor.
        String admin = token(Scope.ADMIN);
        mvc.perform(post("/api/v1/sandboxes/" + mine.name() + "/supervisor/logs")
                        .with(bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("[]"))
                .andExpect(status().isForbidden());
        // The supervisor token is not listed among API tokens.
        assertThat(mvc.perform(get("/api/v1/tokens?page_size=1000").with(operator()))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .doesNotContain("sup-");
    }

    @Test
    void decisionsAreStoredQueriedAndTrimmed() throws Exception {
        List<DecisionRecord> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(decision(
                    i % 2 == 0 ? "api.github.com" : "evil.example",
                    i % 2 == 0 ? Verdict.ALLOW : Verdict.DENY,
                    "/usr/bin/curl"));
        }
        mvc.perform(post("/api/v1/sandboxes/" + mine.name() + "/supervisor/decisions")
                        .with(bearer(supervisor))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(batch)))
                .andExpect(status().isNoContent());
        String reader = token(Scope.DECISION_READ);
        Page<?> all = read(
                mvc.perform(get("/api/v1/decisions?page_size=1000&sandbox=" + mine.name())
                                .with(bearer(reader)))
                        .andExpect(status().isOk())
                        .andReturn(),
                Page.class);
        assertThat(all.items()).hasSize(50); // decisions-per-sandbox in the test configuration
        Page<?> denied = read(
                mvc.perform(get("/api/v1/decisions?verdict=deny&host=evil.example&since=5m&page_size=10&sandbox="
                                        + mine.name())
                                .with(bearer(reader)))
                        .andExpect(status().isOk())
                        .andReturn(),
                Page.class);
        assertThat(denied.items()).hasSize(10);
        assertThat(denied.items().toString()).doesNotContain("api.github.com");
        assertThat(denied.nextPageToken()).isNotNull();
        mvc.perform(get("/api/v1/decisions?verdict=maybe").with(bearer(reader)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("verdict"));
        mvc.perform(get("/api/v1/decisions?since=yesterday").with(bearer(reader)))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/decisions?verdict=allow&page_token=" + denied.nextPageToken())
                        .with(bearer(reader)))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/decisions?binary=/usr/bin/python3&sandbox=" + mine.name())
                        .with(bearer(reader)))
                .andExpect(jsonPath("$.items").isEmpty());
    }

    @Test
    void logLinesArePagedOldestFirst() throws Exception {
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(new LogLine(null, i == 4 ? LogLine.Source.PROXY : LogLine.Source.AGENT, null, "line " + i));
        }
        mvc.perform(post("/api/v1/sandboxes/" + mine.name() + "/supervisor/logs")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(lines)))
                .andExpect(status().isNoContent());
        String reader = token(Scope.SANDBOX_READ);
        Page<?> first = read(
                mvc.perform(get("/api/v1/sandboxes/" + mine.name() + "/logs?page_size=3")
                                .accept(MediaType.APPLICATION_JSON)
                                .with(bearer(reader)))
                        .andExpect(status().isOk())
                        .andReturn(),
                Page.class);
        assertThat(first.items()).hasSize(3);
        assertThat(first.items().getFirst().toString()).contains("line 0");
        mvc.perform(get("/api/v1/sandboxes/" + mine.name() + "/logs?source=proxy")
                        .accept(MediaType.APPLICATION_JSON)
                        .with(bearer(reader)))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].text").value("line 4"));
        // Without an Accept header (curl's */*), a page of JSON, not an event stream.
        mvc.perform(get("/api/v1/sandboxes/" + mine.name() + "/logs").with(bearer(reader)))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
        mvc.perform(get("/api/v1/sandboxes/" + mine.name() + "/logs?source=kernel")
                        .accept(MediaType.APPLICATION_JSON)
                        .with(bearer(reader)))
                .andExpect(status().isBadRequest());
    }

    @Test
    void policyAcksMoveRevisionsAndAreValidated() throws Exception {
        mvc.perform(post("/api/v1/sandboxes/" + mine.name() + "/supervisor/policy-acks")
                        .with(bearer(supervisor))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(PolicyAck.loaded(1))))
                .andExpect(status().isNoContent());
        mvc.perform(post("/api/v1/sandboxes/" + mine.name() + "/supervisor/policy-acks")
                        .with(bearer(supervisor))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"revision\":0,\"status\":\"pending\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"));
    }
}
