package dev.openshell.gateway.inference;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.gateway.support.ApiTestSupport;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class InferenceRouteApiTest extends ApiTestSupport {

    @Test
    void routesArePutGotAndDeleted() throws Exception {
        String provider = "nim-" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(post("/api/v1/providers")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + provider
                                + "\",\"type\":\"nvidia\",\"base_url\":\"https://nim.example/v1\","
                                + "\"protocol\":\"openai\",\"credentials\":{\"NVIDIA_API_KEY\":\"k\"}}"))
                .andExpect(status().isCreated());
        String route =
                "{\"name\":\"default\",\"provider\":\"" + provider + "\",\"model\":\"llama-3\",\"timeout\":\"30s\","
                        + "\"privacy\":\"local\",\"cost\":{\"input_per_million_tokens\":2.50}}";
        mvc.perform(put("/api/v1/inference/routes/default")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(route))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.resource_version").value("1"))
                .andExpect(jsonPath("$.timeout").value("30s"));
        mvc.perform(get("/api/v1/inference/routes/default").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model").value("llama-3"))
                .andExpect(jsonPath("$.cost.input_per_million_tokens").value(2.5));
        mvc.perform(put("/api/v1/inference/routes/default")
                        .with(operator())
                        .header("If-Match", "\"7\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(route))
                .andExpect(status().isPreconditionFailed());
        mvc.perform(put("/api/v1/inference/routes/default")
                        .with(operator())
                        .header("If-Match", "\"1\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(route.replace("llama-3", "llama-4")))
                .andExpect(header().string("ETag", "\"2\""));
        mvc.perform(get("/api/v1/inference/routes").with(operator()))
                .andExpect(jsonPath("$.items[0].model").value("llama-4"))
                .andExpect(jsonPath("$.items[0].resource_version").value("2"));
        mvc.perform(put("/api/v1/inference/routes/other")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(route))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        mvc.perform(put("/api/v1/inference/routes/default")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(route.replace(provider, "no-such-provider")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("provider"));
        mvc.perform(delete("/api/v1/inference/routes/default").with(operator()))
                .andExpect(jsonPath("$.result").value("deleted"));
        mvc.perform(delete("/api/v1/inference/routes/default").with(operator()))
                .andExpect(jsonPath("$.result").value("already_absent"));
        mvc.perform(get("/api/v1/inference/routes/default").with(operator())).andExpect(status().isNotFound());
        mvc.perform(delete("/api/v1/providers/" + provider).with(operator()));
    }
}
