package dev.openshell.gateway.system;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.openshell.api.OpenShellVersion;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /openapi.json}. springdoc describes models with Jackson 2, which
 * does not read the records' Jackson 3 naming annotation, so its resolver is told the API's rule:
 * snake_case everywhere.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenAPI openShellApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("OpenShell gateway")
                        .version(OpenShellVersion.current())
                        .description("Sandboxes, policies, providers, inference routes, decisions and tokens."
                                + " Errors are RFC 9457 problems with a typed code."))
                .servers(List.of(new Server().url("/")));
    }
}
