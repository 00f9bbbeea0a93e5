package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventHubTest {
    @Test
    void theIpOfASignallingPeer() {
        assertThat(EventHub.ip("/198.51.100.23:50123")).isEqualTo("198.51.100.23");
        assertThat(EventHub.ip("client.example/198.51.100.23:50123")).isEqualTo("198.51.100.23");
        assertThat(EventHub.ip("/[2001:db8:0:0:0:0:0:1]:50123")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(EventHub.ip("?")).isNull();
        assertThat(EventHub.ip(null)).isNull();
    }
}
