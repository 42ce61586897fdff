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
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.print(CommandLineFlags.USAGE);
            return;
        }
        String[] springArgs;
        try {
            springArgs = CommandLineFlags.translate(args);
            CommandLineFlags.requireDataDir(springArgs, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("openshell-gateway: " + e.getMessage());
            System.err.println("See 'java -jar openshell-gateway.jar --help'.");
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
