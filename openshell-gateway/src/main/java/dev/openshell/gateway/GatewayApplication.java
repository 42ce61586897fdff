package dev.openshell.gateway;

import dev.openshell.gateway.config.CommandLineFlags;
import dev.openshell.gateway.config.GatewayProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The gateway daemon: {@code java -jar openshell-gateway.jar --data-dir D --port P [--bind A]
 * [--db-url U] [--driver local]}.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayApplication {

    public static void main(String[] args) {
        String[] springArgs;
        try {
            springArgs = CommandLineFlags.translate(args);
        } catch (IllegalArgumentException e) {
            System.err.println("openshell-gateway: " + e.getMessage());
            System.exit(2);
            return;
        }
        SpringApplication app = new SpringApplication(GatewayApplication.class);
        // The daemon logs to its data directory as well as stdout (tests and embedders do not).
        app.setDefaultProperties(
                java.util.Map.of("logging.file.name", "${openshell.gateway.data-dir}/logs/gateway.log"));
        app.run(springArgs);
    }
}
