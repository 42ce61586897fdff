package dev.openshell.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLineFlagsTest {

    @Test
    void shortFlagsBecomeGatewayProperties() {
        assertThat(CommandLineFlags.translate(new String[] {
                    "--data-dir",
                    "/var/lib/gw",
                    "--port=9443",
                    "--bind",
                    "0.0.0.0",
                    "--db-url",
                    "jdbc:postgresql://db/gw?user=u",
                    "--driver",
                    "local"
                }))
                .containsExactly(
                        "--openshell.gateway.data-dir=/var/lib/gw",
                        "--openshell.gateway.port=9443",
                        "--openshell.gateway.bind=0.0.0.0",
                        "--openshell.gateway.db-url=jdbc:postgresql://db/gw?user=u",
                        "--openshell.gateway.driver=local");
    }

    @Test
    void springPropertiesPassThrough() {
        assertThat(CommandLineFlags.translate(
                        new String[] {"--openshell.gateway.limits.max-page-size=50", "--debug=true"}))
                .containsExactly("--openshell.gateway.limits.max-page-size=50", "--debug=true");
    }

    @Test
    void anUnknownFlagOrAMissingValueIsAnError() {
        assertThatThrownBy(() -> CommandLineFlags.translate(new String[] {"--data-dri", "/x"}))
                .hasMessageContaining("unknown flag --data-dri")
                .hasMessageContaining("--data-dir");
        assertThatThrownBy(() -> CommandLineFlags.translate(new String[] {"--port"}))
                .hasMessage("--port needs a value");
    }

    @Test
    void theDataDirectoryIsRequiredFromSomewhere() {
        assertThatThrownBy(() -> CommandLineFlags.requireDataDir(
                        new String[] {"--openshell.gateway.port=1"}, java.util.Map.of()))
                .hasMessage("--data-dir is required (or OPENSHELL_GATEWAY_DATA_DIR)");
        CommandLineFlags.requireDataDir(new String[] {"--openshell.gateway.data-dir=/d"}, java.util.Map.of());
        CommandLineFlags.requireDataDir(new String[0], java.util.Map.of("OPENSHELL_GATEWAY_DATA_DIR", "/d"));
    }
}
