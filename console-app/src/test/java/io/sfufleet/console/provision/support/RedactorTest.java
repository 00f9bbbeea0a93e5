package io.sfufleet.console.provision.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void knownSecretsGoWhereverTheyAppearTheLongestFirst() {
        Redactor r = new Redactor().secret("abcdef123456").secret("abcdef123456-longer").secret("short")
                .secret(null).secret("  ");
        assertThat(r.secrets()).containsExactly("abcdef123456-longer", "abcdef123456");
        assertThat(r.redact("x abcdef123456-longer y abcdef123456 z short"))
                .isEqualTo("x <redacted> y <redacted> z short");
    }

    @Test
    void valuesOfSecretLookingKeysGoEvenWhenUnknown() {
        Redactor r = new Redactor();
        assertThat(r.redact("SFU_API_TOKEN=zzz\napi.token = \"q1w2e3\"\npassword: hunter2\n"))
                .isEqualTo("SFU_API_TOKEN=<redacted>\napi.token = \"<redacted>\"\npassword: <redacted>\n");
        assertThat(r.redact("Authorization: Bearer eyJhbGciOi.x-y_z")).isEqualTo("Authorization: Bearer <redacted>");
        assertThat(r.redact("{\"auth_token\": \"s3cr3t\", \"join_token_ttl_seconds\": 300}"))
                .isEqualTo("{\"auth_token\": \"<redacted>\", \"join_token_ttl_seconds\": 300}");
        // settings named like secrets but holding numbers or booleans are kept: support needs them
        assertThat(r.redact("token_ttl_seconds = 600\nrequire_token = true"))
                .isEqualTo("token_ttl_seconds = 600\nrequire_token = true");
        assertThat(r.redact("udp_port = 8443")).isEqualTo("udp_port = 8443");
    }

    @Test
    void tomlPortsAreReadFromTheirSection() {
        String toml = "[media]\nudp_port = 40000\n[http]\nport = 8080\n[api]\nport = 9045 # admin\n";
        assertThat(SupportBundle.tomlInt(toml, "media", "udp_port", 1)).isEqualTo(40000);
        assertThat(SupportBundle.tomlInt(toml, "api", "port", 1)).isEqualTo(9045);
        assertThat(SupportBundle.tomlInt(toml, "ice", "port", 7)).isEqualTo(7);
        assertThat(SupportBundle.tomlInt(null, "api", "port", 8045)).isEqualTo(8045);
    }
}
