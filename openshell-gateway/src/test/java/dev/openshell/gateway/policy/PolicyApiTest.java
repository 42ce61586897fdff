package dev.openshell.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.api.Page;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.gateway.support.ApiTestSupport;
import dev.openshell.gateway.testdriver.ProcessTestDriver;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class PolicyApiTest extends ApiTestSupport {

    private static final String ALLOW_EXAMPLE = """
            version: 1
            network_policies:
              example:
                endpoints:
                  - host: example.com
                    port: 443
                binaries:
                  - path: /usr/bin/curl
            """;

    private String name;

    @BeforeEach
    void sandbox() throws Exception {
        name = "pol-" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(post("/api/v1/sandboxes")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + name + "\",\"command\":[\"sleep\",\"60\"],\"wait\":true}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.phase").value("Ready"));
    }

    @AfterEach
    void remove() throws Exception {
        mvc.perform(delete("/api/v1/sandboxes/" + name).with(operator()));
    }

    private String path() {
        return "/api/v1/sandboxes/" + name + "/policy";
    }

    private PolicyRevision current() throws Exception {
        return read(
                mvc.perform(get(path()).with(operator()))
                        .andExpect(status().isOk())
                        .andReturn(),
                PolicyRevision.class);
    }

    @Test
    void theFirstRevisionIsTheDefaultPolicyLoaded() throws Exception {
        PolicyRevision first = current();
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.status()).isEqualTo(RevisionStatus.LOADED);
        assertThat(first.hash()).startsWith("sha256:");
        assertThat(first.policy()).startsWith("version: 1");
    }

    @Test
    void setWithWaitAnswersOnceLoadedAndSupersedesTheOldRevision() throws Exception {
        PolicyRevision second = read(
                mvc.perform(put(path() + "?wait=true")
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(json(new PolicySetRequest(ALLOW_EXAMPLE))))
                        .andExpect(status().isOk())
                        .andReturn(),
                PolicyRevision.class);
        assertThat(second.number()).isEqualTo(2);
        assertThat(second.status()).isEqualTo(RevisionStatus.LOADED);
        assertThat(second.loadedAt()).isNotNull();
        assertThat(second.policy()).contains("example.com");
        PolicyRevision first =
                read(mvc.perform(get(path() + "/revisions/1").with(operator())).andReturn(), PolicyRevision.class);
        assertThat(first.status()).isEqualTo(RevisionStatus.SUPERSEDED);
        Sandbox s = read(
                mvc.perform(get("/api/v1/sandboxes/" + name).with(operator())).andReturn(), Sandbox.class);
        assertThat(s.policyRevision()).isEqualTo(2L);
    }

    @Test
    void whatGetReturnsIsAcceptedUnchangedBySet() throws Exception {
        mvc.perform(put(path() + "?wait=true")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(new PolicySetRequest(ALLOW_EXAMPLE))))
                .andExpect(status().isOk());
        PolicyRevision got = current();
        PolicyRevision again = read(
                mvc.perform(put(path())
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(json(new PolicySetRequest(got.policy()))))
                        .andExpect(status().isOk())
                        .andReturn(),
                PolicyRevision.class);
        assertThat(again.number()).isEqualTo(got.number()); // no change, no new revision
        assertThat(again.hash()).isEqualTo(got.hash());
        assertThat(again.policy()).isEqualTo(got.policy());
    }

    @Test
    void aStaticChangeIs400WithTheDiff() throws Exception {
        mvc.perform(put(path())
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(new PolicySetRequest(
                                "version: 1\nprocess:\n  run_as_user: agent\n  run_as_group: agent\n"))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("policy_static_change"))
                .andExpect(jsonPath("$.errors[0].field").value(org.hamcrest.Matchers.startsWith("policy.process.")))
                .andExpect(jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.containsString("->")));
        assertThat(current().number()).isEqualTo(1);
    }

    @Test
    void updateMergesOperationsIntoANewRevision() throws Exception {
        PolicyRevision updated = read(
                mvc.perform(patch(path() + "?wait=true")
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"operations\":[{\"op\":\"add_endpoint\",\"host\":\"API.GitHub.com\",\"port\":443,"
                                                + "\"access\":\"read-only\",\"binaries\":[\"/usr/bin/gh\"]}]}"))
                        .andExpect(status().isOk())
                        .andReturn(),
                PolicyRevision.class);
        assertThat(updated.number()).isEqualTo(2);
        assertThat(updated.status()).isEqualTo(RevisionStatus.LOADED);
        assertThat(updated.policy())
                .contains("api.github.com")
                .contains("read-only")
                .contains("/usr/bin/gh");

        mvc.perform(
                        patch(path())
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"operations\":[{\"op\":\"remove_endpoint\",\"host\":\"nowhere.example\",\"port\":443}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code")
                        .value(org.hamcrest.Matchers.oneOf("policy_update_invalid", "validation_failed")));
        mvc.perform(patch(path())
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"operations\":[{\"op\":\"explode\"}]}"))
                .andExpect(status().isBadRequest());
        mvc.perform(patch(path())
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"operations\":[]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("operations"));
        assertThat(current().number()).isEqualTo(2);
    }

    @Test
    void aRevisionTheSandboxRejectsIsFailedWithItsErrorAndTheOldOneStays() throws Exception {
        PolicyRevision rejected = read(
                mvc.perform(put(path() + "?wait=true")
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(json(new PolicySetRequest(
                                        ALLOW_EXAMPLE.replace("example.com", ProcessTestDriver.REJECT_HOST)))))
                        .andExpect(status().isOk())
                        .andReturn(),
                PolicyRevision.class);
        assertThat(rejected.status()).isEqualTo(RevisionStatus.FAILED);
        assertThat(rejected.error()).isEqualTo("rejected by the test driver");
        assertThat(current().number()).isEqualTo(1);
    }

    @Test
    void revisionsAreListedNewestFirstAndPaged() throws Exception {
        for (String host : new String[] {"a.example.com", "b.example.com", "c.example.com"}) {
            mvc.perform(put(path() + "?wait=true")
                            .with(operator())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(json(new PolicySetRequest(ALLOW_EXAMPLE.replace("example.com", host)))))
                    .andExpect(status().isOk());
        }
        Page<?> page = read(
                mvc.perform(get(path() + "/revisions?page_size=2").with(operator()))
                        .andReturn(),
                Page.class);
        assertThat(page.items()).hasSize(2);
        assertThat(page.items().getFirst().toString()).contains("number=4");
        Page<?> rest = read(
                mvc.perform(get(path() + "/revisions?page_size=2&page_token=" + page.nextPageToken())
                                .with(operator()))
                        .andReturn(),
                Page.class);
        assertThat(rest.items()).hasSize(2);
        assertThat(rest.nextPageToken()).isNull();
        mvc.perform(get(path() + "/revisions/99").with(operator()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not_found"));
        mvc.perform(get(path() + "/revisions/abc").with(operator()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("number"));
        mvc.perform(get(path() + "/revisions/0").with(operator())).andExpect(status().isBadRequest());
    }

    @Test
    void aStaleIfMatchIs412AndNothingChanges() throws Exception {
        var answer =
                mvc.perform(get("/api/v1/sandboxes/" + name).with(operator())).andReturn();
        String etag = answer.getResponse().getHeader("ETag");
        mvc.perform(put(path())
                        .with(operator())
                        .header("If-Match", etag)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(new PolicySetRequest(ALLOW_EXAMPLE))))
                .andExpect(status().isOk());
        mvc.perform(put(path())
                        .with(operator())
                        .header("If-Match", etag)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(new PolicySetRequest(ALLOW_EXAMPLE.replace("example.com", "x.example.com")))))
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath("$.code").value("precondition_failed"));
    }

    @Test
    void anInvalidPolicyIs400AndAPolicyOfAnUnknownSandboxIs404() throws Exception {
        mvc.perform(put(path())
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"policy\":\"version: 1\\nnetwork_policies: 7\\n\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("policy_invalid"));
        mvc.perform(put(path())
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"policy\":\"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"));
        mvc.perform(get("/api/v1/sandboxes/no-such-sandbox/policy").with(operator()))
                .andExpect(status().isNotFound());
    }
}
