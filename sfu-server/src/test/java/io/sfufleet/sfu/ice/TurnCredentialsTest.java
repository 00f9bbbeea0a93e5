package io.sfufleet.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.model.signal.IceServer;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** coturn's REST credential scheme against a vector computed independently with OpenSSL. */
class TurnCredentialsTest {
    private static final String SECRET = "turn-secret-0123456789";
    private static final List<String> URLS = List.of("turn:127.0.0.1:3478?transport=udp");

    @Test
    void knownAnswer() {
        // printf '%s' "1763942400:p7" | openssl dgst -sha1 -hmac "turn-secret-0123456789" -binary | base64
        TurnCredentials turn = new TurnCredentials(URLS, SECRET, 3600);
        assertThat(turn.password("1763942400:p7")).isEqualTo("FoT0S3Cc3/Ywp4ng4X7RQZGrD38=");
    }

    @Test
    void theUsernameCarriesTheExpiryAndTheUser() {
        TurnCredentials turn = new TurnCredentials(URLS, SECRET, 3600);
        List<IceServer> servers = turn.forUser("p7", 1_763_938_800_999L); // 3600 s before 1763942400, plus 999 ms
        assertThat(servers).containsExactly(new IceServer(URLS, "1763942400:p7", "FoT0S3Cc3/Ywp4ng4X7RQZGrD38="));
    }

    @Test
    void noUrlsNoServersAndUrlsNeedASecret() {
        assertThat(TurnCredentials.NONE.forUser("p1", 0)).isEmpty();
        assertThatThrownBy(() -> new TurnCredentials(URLS, "", 3600)).hasMessageContaining("secret");
    }

    @Test
    void mediaFromATurnServersAddressIsRelayed() throws Exception {
        assertThat(TurnCredentials.host("turn:127.0.0.1:3478?transport=udp")).isEqualTo("127.0.0.1");
        assertThat(TurnCredentials.host("turns:[::1]:5349?transport=tcp")).isEqualTo("::1");
        assertThat(TurnCredentials.host("turn:10.0.0.7")).isEqualTo("10.0.0.7");
        TurnCredentials turn = new TurnCredentials(
                List.of("turn:127.0.0.9:3478?transport=udp", "turns:[::1]:5349?transport=tcp", "turn:no-such-host.invalid"),
                SECRET, 3600);
        assertThat(turn.isRelay(InetAddress.getByName("127.0.0.9"))).isTrue();
        assertThat(turn.isRelay(InetAddress.getByName("::1"))).isTrue();
        assertThat(turn.isRelay(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(turn.isRelay(null)).isFalse();
        assertThat(TurnCredentials.NONE.isRelay(InetAddress.getByName("127.0.0.9"))).isFalse();
    }
}
