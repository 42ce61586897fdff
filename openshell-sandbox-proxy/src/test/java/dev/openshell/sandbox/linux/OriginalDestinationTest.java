package dev.openshell.sandbox.linux;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class OriginalDestinationTest {

    @Test
    void closedDescriptorIsAOneLineError() {
        assertThatThrownBy(() -> OriginalDestination.of(-1))
                .isInstanceOf(SyscallException.class)
                .hasMessage("getsockopt(fd -1, SO_ORIGINAL_DST) failed: EBADF: not an open file descriptor"
                        + " (IPv6: EBADF: not an open file descriptor)");
    }

    @Test
    void channelWithoutADescriptorIsRejected() {
        assertThatThrownBy(() -> OriginalDestination.of(new EmbeddedChannel()))
                .isInstanceOf(SyscallException.class)
                .hasMessageContaining("native transport");
    }
}
