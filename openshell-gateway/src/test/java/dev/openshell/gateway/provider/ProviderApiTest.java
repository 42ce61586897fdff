package dev.openshell.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.api.auth.Scope;
import dev.openshell.gateway.support.ApiTestSupport;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

class ProviderApiTest extends ApiTestSupport {

    private static final String SECRET = "sk-live-VERYSECRET-" + UUID.randomUUID();

    @Autowired
    JdbcClient db;

    @Autowired
    ProviderService providers;

    private String body(String name, String secret) {
        return "{\"name\":\"" + name + "\",\"type\":\"openai\",\"base_url\":\"https://api.openai.com/v1\","
                + "\"protocol\":\"openai\",\"credentials\":{\"OPENAI_API_KEY\":\"" + secret + "\"}}";
    }

    @Test
    void credentialsAreWriteOnlyAndEncryptedAtRest() throws Exception {
        String name = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String created = mvc.perform(post("/api/v1/providers")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body(name, SECRET)))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/providers/" + name))
                .andExpect(jsonPath("$.credential_keys[0]").value("OPENAI_API_KEY"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(created).doesNotContain(SECRET);
        assertThat(mvc.perform(get("/api/v1/providers/" + name).with(operator()))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .doesNotContain(SECRET);
        assertThat(mvc.perform(get("/api/v1/providers").with(operator()))
                        .andReturn()
                        .getResponse()
                        .getContentAsString())
                .doesNotContain(SECRET)
                .contains(name);

        String stored = db.sql("SELECT credentials_sealed FROM providers WHERE name = ?")
                .param(name)
                .query(String.class)
                .single();
        assertThat(stored).startsWith("v1:").doesNotContain(SECRET).doesNotContain("OPENAI_API_KEY");
        for (String file : new String[] {"gateway.db", "gateway.db-wal"}) {
            var path = DATA_DIR.resolve(file);
            if (Files.exists(path)) {
                assertThat(new String(Files.readAllBytes(path), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file)
                        .doesNotContain(SECRET);
            }
        }
        assertThat(providers.credentials(name)).containsEntry("OPENAI_API_KEY", SECRET);
        assertThat(Files.readString(DATA_DIR.resolve("gateway.key")).strip()).hasSize(44);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(DATA_DIR.resolve("gateway.key"))))
                .isEqualTo("rw-------");
        mvc.perform(delete("/api/v1/providers/" + name).with(operator()));
    }

    @Test
    void replaceHonoursIfMatchAndDeleteIsIdempotent() throws Exception {
        String name = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String etag = mvc.perform(post("/api/v1/providers")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body(name, "one")))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getHeader("ETag");
        assertThat(etag).isEqualTo("\"1\"");
        mvc.perform(post("/api/v1/providers")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body(name, "two")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("already_exists"));
        mvc.perform(put("/api/v1/providers/" + name)
                        .with(operator())
                        .header("If-Match", etag)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body(name, "two")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.resource_version").value("2"));
        assertThat(providers.credentials(name)).containsEntry("OPENAI_API_KEY", "two");
        mvc.perform(put("/api/v1/providers/" + name)
                        .with(operator())
                        .header("If-Match", etag)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body(name, "three")))
                .andExpect(status().isPreconditionFailed());
        mvc.perform(put("/api/v1/providers/" + name)
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body("other-name", "x")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        mvc.perform(delete("/api/v1/providers/" + name).with(operator()))
                .andExpect(jsonPath("$.result").value("deleted"));
        mvc.perform(delete("/api/v1/providers/" + name).with(operator()))
                .andExpect(jsonPath("$.result").value("already_absent"));
        mvc.perform(put("/api/v1/providers/" + name)
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body(name, "x")))
                .andExpect(status().isNotFound());
    }

    @Test
    void badCredentialsAreRefusedWithoutQuotingThem() throws Exception {
        String answer = mvc.perform(post("/api/v1/providers")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body("bad", "line\\r\\nX-Injected: " + SECRET)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(answer).doesNotContain(SECRET);
        mvc.perform(post("/api/v1/providers")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"u\",\"type\":\"openai\",\"base_url\":\"https://user:pw@x.example\","
                                + "\"credentials\":{\"K\":\"v\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("base_url"));
    }

    @Test
    void readingProvidersNeedsTheProviderScope() throws Exception {
        String sandboxOnly = token(Scope.SANDBOX_WRITE, Scope.POLICY_WRITE);
        mvc.perform(get("/api/v1/providers").with(bearer(sandboxOnly))).andExpect(status().isForbidden());
        String reader = token(Scope.PROVIDER_READ);
        mvc.perform(get("/api/v1/providers").with(bearer(reader))).andExpect(status().isOk());
        mvc.perform(post("/api/v1/providers")
                        .with(bearer(reader))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body("nope", "x")))
                .andExpect(status().isForbidden());
    }
}
