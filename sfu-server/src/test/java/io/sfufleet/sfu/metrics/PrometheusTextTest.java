package io.sfufleet.sfu.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser must be strict, or the tests that use it prove nothing: what it takes and what it refuses. */
class PrometheusTextTest {
    private static final String VALID = """
            # A comment that is neither HELP nor TYPE
            # HELP http_requests_total Requests, with a back\\\\slash and a\\nnewline.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400",} 3 1395066363000
            # TYPE msdos_file_access_time_seconds untyped
            msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
            metric_without_timestamp_and_labels 12.47
            # TYPE temp gauge
            temp -Inf
            temp{room="x"} NaN
            # HELP lat_seconds Latency.
            # TYPE lat_seconds histogram
            lat_seconds_bucket{le="1.0E-5"} 1
            lat_seconds_bucket{le="0.5"} 3
            lat_seconds_bucket{le="+Inf"} 4
            lat_seconds_count 4
            lat_seconds_sum 2.5
            # TYPE rpc_seconds summary
            rpc_seconds{quantile="0.5"} 0.01
            rpc_seconds{quantile="0.99"} 0.2
            rpc_seconds_sum 17
            rpc_seconds_count 100
            """;

    @Test
    void readsTheFormatsExamples() {
        PrometheusText t = PrometheusText.parse(VALID);
        assertThat(t.family("http_requests_total").type()).isEqualTo("counter");
        assertThat(t.family("http_requests_total").help()).isEqualTo("Requests, with a back\\slash and a\nnewline.");
        assertThat(t.value("http_requests_total", "method", "post", "code", "400")).isEqualTo(3);
        assertThat(t.value("msdos_file_access_time_seconds", "path", "C:\\DIR\\FILE.TXT",
                "error", "Cannot find file:\n\"FILE.TXT\"")).isEqualTo(1.458255915e9);
        assertThat(t.value("metric_without_timestamp_and_labels")).isEqualTo(12.47);
        assertThat(t.value("temp")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(t.value("temp", "room", "x")).isNaN();
        assertThat(t.family("lat_seconds").samples()).hasSize(5);
        assertThat(t.value("lat_seconds_bucket", "le", "1.0E-5")).isEqualTo(1);
        assertThat(t.family("rpc_seconds").type()).isEqualTo("summary");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "no_newline_at_end 1",
            "1bad_name 1\n",
            "bad-name 1\n",
            "m{1label=\"x\"} 1\n",
            "m{__reserved=\"x\"} 1\n",
            "m{a=x} 1\n",
            "m{a=\"x\" 1\n",
            "m{a=\"x\",a=\"y\"} 1\n",
            "m{a=\"bad \\t escape\"} 1\n",
            "m{a=\"x\"}1\n",
            "m one\n",
            "m 1 2 3\n",
            "m 1 1.5\n",
            "m 0x10\n",
            "m\n",
            "m 1\nm 2\n",
            "# TYPE m gauge\n# TYPE m gauge\nm 1\n",
            "# HELP m a\n# HELP m b\nm 1\n",
            "# TYPE m wibble\nm 1\n",
            "# HELP m bad \\t escape\nm 1\n",
            "m 1\n# TYPE m gauge\n",
            "a 1\nb 1\na{x=\"y\"} 1\n",
            "# TYPE c_total counter\nc_total -1\n",
            "# TYPE g gauge\ng{le=\"1\"} 1\n",
            "# TYPE h histogram\nh 1\n",
            "# TYPE h histogram\nh_bucket 1\nh_count 1\nh_sum 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n",
            "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 1\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",
            "# TYPE s summary\ns{quantile=\"1.5\"} 1\ns_sum 1\ns_count 1\n",
            "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_count 1\n",
    })
    void refuses(String text) {
        assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(PrometheusText.FormatException.class);
    }
}
