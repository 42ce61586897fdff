package dev.openshell.sandbox.proxy.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DestinationTest {

    @Test
    void parsesHostPortAndNormalises() {
        Destination d = Destination.parseAuthority("API.GitHub.com.:443", -1);
        assertThat(d.host()).isEqualTo("api.github.com");
        assertThat(d.port()).isEqualTo(443);
        assertThat(d.literal()).isNull();
    }

    @Test
    void ipLiteralsNeedNoDns() {
        assertThat(Destination.parseAuthority("10.0.0.1:80", -1).literal()).isNotNull();
        Destination v6 = Destination.parseAuthority("[::1]:8080", -1);
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.authority()).isEqualTo("[::1]:8080");
    }

    @Test
    void defaultPortForAbsoluteUrls() {
        assertThat(Destination.parseAuthority("example.com", 80).port()).isEqualTo(80);
    }

    @Test
    void refusesMissingPortUserinfoAndJunk() {
        assertThatThrownBy(() -> Destination.parseAuthority("example.com", -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Destination.parseAuthority("u:p@example.com:80", -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Destination.parseAuthority("example.com:99999", -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Destination.parseAuthority("exa mple.com:80", -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Destination.parseAuthority("::1:80", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recognisesInferenceLocal() {
        assertThat(Destination.parseAuthority("Inference.Local:443", -1).isInference())
                .isTrue();
    }
}
