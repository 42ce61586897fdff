package dev.openshell.gateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.api.Page;
import dev.openshell.api.sandbox.ExecResult;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.gateway.support.ApiTestSupport;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

class SandboxApiTest extends ApiTestSupport {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ResultActions create(String body) throws Exception {
        return mvc.perform(post("/api/v1/sandboxes")
                .with(operator())
                .contentType(MediaType.APPLICATION_JSON)
                .content(body));
    }

    private Sandbox createReady(String name, String commandJson) throws Exception {
        var result = create("{\"name\":\"" + name + "\",\"command\":" + commandJson + ",\"wait\":true}")
                .andExpect(status().isCreated())
                .andReturn();
        Sandbox s = read(result, Sandbox.class);
        assertThat(s.phase()).isEqualTo(SandboxPhase.READY);
        return s;
    }

    private Sandbox fetch(String name) throws Exception {
        return read(
                mvc.perform(get("/api/v1/sandboxes/" + name).with(operator())).andReturn(), Sandbox.class);
    }

    @Test
    void createGetAndDeleteAreIdempotent() throws Exception {
        String name = unique("demo");
        var created = create("{\"name\":\"" + name + "\",\"command\":[\"sleep\",\"60\"],\"labels\":{\"team\":\"ml\"},"
                        + "\"env\":{\"SECRET\":\"hunter2\"}}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/sandboxes/" + name))
                .andExpect(header().exists("ETag"))
                .andExpect(jsonPath("$.name").value(name))
                .andExpect(jsonPath("$.id").isString())
                .andExpect(jsonPath("$.resource_version").isString())
                .andReturn();
        assertThat(created.getResponse().getContentAsString())
                .doesNotContain("hunter2")
                .doesNotContain("env");
        await(Duration.ofSeconds(10), () -> assertThat(fetch(name).phase()).isEqualTo(SandboxPhase.READY));
        Sandbox ready = fetch(name);
        assertThat(ready.readyAt()).isNotNull();
        assertThat(ready.policyRevision()).isEqualTo(1L);
        assertThat(ready.labels()).containsEntry("team", "ml");

        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.result").value("deleted"));
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.result").value("already_absent"));
        mvc.perform(get("/api/v1/sandboxes/" + name).with(operator()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not_found"));
        assertThat(Files.exists(driver.workspace(ready.id()))).isFalse();
    }

    @Test
    void aDeleteRightAfterCreateLeavesNoWorkloadBehind() throws Exception {
        for (int i = 0; i < 5; i++) {
            String name = unique("quick");
            Sandbox s = read(
                    create("{\"name\":\"" + name + "\",\"command\":[\"sleep\",\"60\"]}")
                            .andReturn(),
                    Sandbox.class);
            mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()))
                    .andExpect(jsonPath("$.result").value("deleted"));
            await(
                    Duration.ofSeconds(5),
                    () -> assertThat(Files.exists(driver.workspace(s.id()).getParent()))
                            .as("workload of " + name)
                            .isFalse());
            // Must NOT happen: a queued create that ran late making the workload again (200 ms is ample).
            org.awaitility.Awaitility.await("no workload of " + name + " made again")
                    .during(Duration.ofMillis(200))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> !Files.exists(driver.workspace(s.id()).getParent()));
        }
    }

    @Test
    void aNameIsGeneratedWhenNoneIsGiven() throws Exception {
        var result = create("{\"command\":[\"sleep\",\"30\"]}")
                .andExpect(status().isCreated())
                .andReturn();
        Sandbox s = read(result, Sandbox.class);
        assertThat(s.name()).matches("sandbox-[a-z0-9]{8}");
        mvc.perform(delete("/api/v1/sandboxes/" + s.name()).with(operator())).andExpect(status().isOk());
    }

    @Test
    void aTakenNameIs409() throws Exception {
        String name = unique("twice");
        createReady(name, "[\"sleep\",\"30\"]");
        create("{\"name\":\"" + name + "\"}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("already_exists"));
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()));
    }

    @Test
    void execRunsTheCommandInTheSandboxAndReturnsItsOutput() throws Exception {
        String name = unique("exec");
        createReady(name, "[\"sleep\",\"60\"]");
        var result = mvc.perform(post("/api/v1/sandboxes/" + name + "/exec")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"command\":[\"sh\",\"-c\",\"cat; echo oops >&2; exit 3\"],\"stdin\":\"hello\\n\"}"))
                .andExpect(status().isOk())
                .andReturn();
        ExecResult out = read(result, ExecResult.class);
        assertThat(out.stdout()).isEqualTo("hello\n");
        assertThat(out.stderr()).isEqualTo("oops\n");
        assertThat(out.exitCode()).isEqualTo(3);
        assertThat(out.timedOut()).isFalse();

        ExecResult slow = read(
                mvc.perform(post("/api/v1/sandboxes/" + name + "/exec")
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"command\":[\"sleep\",\"30\"],\"timeout\":\"1s\"}"))
                        .andExpect(status().isOk())
                        .andReturn(),
                ExecResult.class);
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.exitCode()).isEqualTo(124);

        mvc.perform(post("/api/v1/sandboxes/" + name + "/exec")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"command\":[\"true\"],\"timeout\":\"2h\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("timeout"));
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()));
    }

    @Test
    void stopAndStartKeepTheWorkspaceAndExecNeedsReady() throws Exception {
        String name = unique("stopstart");
        Sandbox s = createReady(name, "[\"sleep\",\"60\"]");
        Files.writeString(driver.workspace(s.id()).resolve("notes.txt"), "kept");

        mvc.perform(post("/api/v1/sandboxes/" + name + "/stop").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.phase").value("Stopped"));
        mvc.perform(post("/api/v1/sandboxes/" + name + "/stop").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.phase").value("Stopped"));
        mvc.perform(post("/api/v1/sandboxes/" + name + "/exec")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"command\":[\"true\"]}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("sandbox_not_ready"));

        mvc.perform(post("/api/v1/sandboxes/" + name + "/start?wait=true").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.phase").value("Ready"));
        ExecResult cat = read(
                mvc.perform(post("/api/v1/sandboxes/" + name + "/exec")
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"command\":[\"cat\",\"notes.txt\"]}"))
                        .andReturn(),
                ExecResult.class);
        assertThat(cat.stdout()).isEqualTo("kept");
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()));
    }

    @Test
    void aMainProcessThatExitsRecordsItsExitCode() throws Exception {
        String name = unique("exits");
        create("{\"name\":\"" + name + "\",\"command\":[\"sh\",\"-c\",\"sleep 0.3; exit 7\"]}")
                .andExpect(status().isCreated());
        await(Duration.ofSeconds(10), () -> {
            Sandbox s = fetch(name);
            assertThat(s.phase()).isEqualTo(SandboxPhase.STOPPED);
            assertThat(s.exitCode()).isEqualTo(7);
            assertThat(s.reason()).contains("exited with status 7");
        });
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()));
    }

    @Test
    void ifMatchGuardsWrites() throws Exception {
        String name = unique("ifmatch");
        createReady(name, "[\"sleep\",\"60\"]");
        var answer =
                mvc.perform(get("/api/v1/sandboxes/" + name).with(operator())).andReturn();
        String etag = answer.getResponse().getHeader("ETag");
        assertThat(etag).isEqualTo("\"" + read(answer, Sandbox.class).resourceVersion() + "\"");

        mvc.perform(post("/api/v1/sandboxes/" + name + "/stop").with(operator()).header("If-Match", "\"999\""))
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath("$.code").value("precondition_failed"));
        mvc.perform(post("/api/v1/sandboxes/" + name + "/stop").with(operator()).header("If-Match", "not-quoted"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("If-Match"));
        mvc.perform(post("/api/v1/sandboxes/" + name + "/stop").with(operator()).header("If-Match", etag))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.phase").value("Stopped"));
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()).header("If-Match", etag))
                .andExpect(status().isPreconditionFailed());
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()).header("If-Match", "*"))
                .andExpect(jsonPath("$.result").value("deleted"));
    }

    @Test
    void listsFilterByLabelsAndPageWithTamperProofTokens() throws Exception {
        String team = unique("team");
        for (int i = 0; i < 3; i++) {
            create("{\"name\":\"" + team + "-" + i + "\",\"command\":[\"sleep\",\"30\"],\"labels\":{\"team\":\"" + team
                            + "\"}}")
                    .andExpect(status().isCreated());
        }
        create("{\"name\":\"" + team + "-other\",\"command\":[\"sleep\",\"30\"]}")
                .andExpect(status().isCreated());

        String selector =
                "label_selector=" + java.net.URLEncoder.encode("team=" + team, java.nio.charset.StandardCharsets.UTF_8);
        Page<?> first = read(
                mvc.perform(get(java.net.URI.create("/api/v1/sandboxes?page_size=2&" + selector))
                                .with(operator()))
                        .andExpect(status().isOk())
                        .andReturn(),
                Page.class);
        assertThat(first.items()).hasSize(2);
        assertThat(first.nextPageToken()).isNotNull();
        Page<?> second = read(
                mvc.perform(get(java.net.URI.create("/api/v1/sandboxes?page_size=2&" + selector + "&page_token="
                                        + first.nextPageToken()))
                                .with(operator()))
                        .andExpect(status().isOk())
                        .andReturn(),
                Page.class);
        assertThat(second.items()).hasSize(1);
        assertThat(second.nextPageToken()).isNull();

        // A token is bound to its list and filter, and cannot be edited.
        mvc.perform(get("/api/v1/sandboxes?page_size=2&page_token=" + first.nextPageToken())
                        .with(operator()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("page_token"));
        String tampered = first.nextPageToken().substring(1) + "A";
        mvc.perform(get(java.net.URI.create("/api/v1/sandboxes?" + selector + "&page_token=" + tampered))
                        .with(operator()))
                .andExpect(status().isBadRequest());
        mvc.perform(get(java.net.URI.create("/api/v1/sandboxes?" + selector + "&page_token=..%2F..%2Fetc"))
                        .with(operator()))
                .andExpect(status().isBadRequest());
        for (String size : new String[] {"0", "1001", "-1", "abc", "99999999999"}) {
            mvc.perform(get("/api/v1/sandboxes?page_size=" + size).with(operator()))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.code").value("validation_failed"));
        }
        mvc.perform(get(java.net.URI.create("/api/v1/sandboxes?label_selector=team%3D%3D%3Dx"))
                        .with(operator()))
                .andExpect(status().isBadRequest());
        for (String n : new String[] {team + "-0", team + "-1", team + "-2", team + "-other"}) {
            mvc.perform(delete("/api/v1/sandboxes/" + n).with(operator()));
        }
    }

    @Test
    void idempotencyKeysReturnTheFirstResultAndRefuseADifferentBody() throws Exception {
        String name = unique("idem");
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"" + name + "\",\"command\":[\"sleep\",\"30\"]}";
        Sandbox first = read(
                mvc.perform(post("/api/v1/sandboxes")
                                .with(operator())
                                .header("Idempotency-Key", key)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(body))
                        .andExpect(status().isCreated())
                        .andReturn(),
                Sandbox.class);
        Sandbox again = read(
                mvc.perform(post("/api/v1/sandboxes")
                                .with(operator())
                                .header("Idempotency-Key", key)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(body))
                        .andExpect(status().isCreated())
                        .andExpect(header().string("Idempotent-Replayed", "true"))
                        .andReturn(),
                Sandbox.class);
        assertThat(again.id()).isEqualTo(first.id());
        mvc.perform(post("/api/v1/sandboxes")
                        .with(operator())
                        .header("Idempotency-Key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + name + "-x\"}"))
                .andExpect(status().is(422))
                .andExpect(jsonPath("$.code").value("idempotency_key_reused"));
        mvc.perform(post("/api/v1/sandboxes")
                        .with(operator())
                        .header("Idempotency-Key", "has space")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
        // Another caller's identical key is another key.
        String other = token(dev.openshell.api.auth.Scope.SANDBOX_WRITE);
        mvc.perform(post("/api/v1/sandboxes")
                        .with(bearer(other))
                        .header("Idempotency-Key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("already_exists"));
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()));
    }

    @Test
    void methodsAndPathsThatDoNotExistAreProblems() throws Exception {
        mvc.perform(put("/api/v1/sandboxes").with(operator()))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(jsonPath("$.code").value("method_not_allowed"));
        mvc.perform(get("/api/v1/nothing-here").with(operator()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not_found"));
    }
}
