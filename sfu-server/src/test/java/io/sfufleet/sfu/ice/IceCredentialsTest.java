package io.sfufleet.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IceCredentialsTest {
    @Test
    void randomCredentialsHaveTheAdvertisedShape() {
        IceCredentials credentials = IceCredentials.random();

        assertThat(credentials.ufrag()).hasSize(8).matches("[A-Za-z0-9+/]+");
        assertThat(credentials.password()).hasSize(24).matches("[A-Za-z0-9+/]+");
    }

    @Test
    void randomCredentialsDoNotRepeat() {
        Set<String> ufrags = new HashSet<>();
        Set<String> passwords = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            IceCredentials credentials = IceCredentials.random();
            ufrags.add(credentials.ufrag());
            passwords.add(credentials.password());
        }
        // 48 random bits per ufrag: a collision in 1000 draws has a probability of about 2e-9.
        assertThat(ufrags).hasSize(1000);
        assertThat(passwords).hasSize(1000);
    }

    @Test
    void randomDrawsUseTheWholeIceCharSet() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            for (char c : IceCredentials.random().password().toCharArray()) {
                seen.add(c);
            }
        }
        // 4800 draws from 64 symbols: missing one has a probability of about 64 * e^-75.
        assertThat(seen).hasSize(IceCredentials.ICE_CHARS.length());
    }

    @Test
    void toStringDoesNotShowThePassword() {
        IceCredentials credentials = new IceCredentials("abcd", "0123456789012345678901");

        assertThat(credentials.toString()).contains("abcd").doesNotContain("0123456789012345678901");
    }

    @Test
    void invalidCredentialsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> new IceCredentials("abc", "0123456789012345678901"))
                .hasMessageContaining("ufrag").hasMessageContaining("4 to 256");
        assertThatThrownBy(() -> new IceCredentials("abcd", "too-short"))
                .hasMessageContaining("password");
        assertThatThrownBy(() -> new IceCredentials("ab:d", "0123456789012345678901"))
                .hasMessageContaining("ufrag").hasMessageContaining("ice-chars");
        assertThatThrownBy(() -> new IceCredentials("abcd", "01234567890123456789 secret"))
                .hasMessageContaining("password").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> new IceCredentials(null, "0123456789012345678901"))
                .hasMessageContaining("ufrag");
    }
}
