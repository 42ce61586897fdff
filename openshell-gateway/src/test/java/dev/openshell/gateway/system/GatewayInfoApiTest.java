package dev.openshell.gateway.system;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.api.OpenShellVersion;
import dev.openshell.api.auth.Scope;
import dev.openshell.gateway.support.ApiTestSupport;
import org.junit.jupiter.api.Test;

class GatewayInfoApiTest extends ApiTestSupport {

    @Test
    void theGatewayNamesItsVersionDriverAndDatabase() throws Exception {
        mvc.perform(get("/api/v1/gateway").with(operator()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(OpenShellVersion.current()))
                .andExpect(jsonPath("$.driver").value("test"))
                .andExpect(jsonPath("$.driver_available").value(true))
                .andExpect(jsonPath("$.database").value("sqlite"))
                .andExpect(jsonPath("$.started_at").isString());
    }

    @Test
    void aTokenNeedsSandboxRead() throws Exception {
        mvc.perform(get("/api/v1/gateway").with(bearer(token(Scope.SANDBOX_READ))))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/gateway").with(bearer(token(Scope.PROVIDER_READ))))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("forbidden"));
    }

    @Test
    void nobodyElseMayReadIt() throws Exception {
        mvc.perform(get("/api/v1/gateway")).andExpect(status().isUnauthorized());
    }
}
