package dev.openshell.gateway.web;

import dev.openshell.api.json.ApiJson;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the gateway's MVC layer: {@link ApiJson#strictBuilder()}, so request
 * bodies are read strictly (an unknown field is a 400 {@code unknown_field}) and answers are
 * written exactly as every client expects. Boot's own mapper backs off for this bean.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfig {

    @Bean
    JsonMapper jsonMapper() {
        return ApiJson.strictBuilder().build();
    }
}
