package dev.openshell.gateway.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfig implements WebMvcConfigurer {

    private final UnknownParameterInterceptor unknownParameters;

    WebConfig(UnknownParameterInterceptor unknownParameters) {
        this.unknownParameters = unknownParameters;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(unknownParameters).order(10);
    }
}
