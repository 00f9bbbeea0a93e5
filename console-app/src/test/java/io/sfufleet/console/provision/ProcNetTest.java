package io.sfufleet.console.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /proc/net tables as the kernel prints them (lines taken from a Debian 12 host, trimmed). */
class ProcNetTest {
    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F95 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
               1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 100 0 0 10 0
               2: 0200007F:A4B2 0100007F:1F95 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 20 4 30 10 -1
            """;
    // IPv6: ::1 port 8080 listening, :: port 443 listening
    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue
               0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000
               1: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000
            """;
    // UDP: 127.0.0.2:10000 (state 07, unconnected)
    private static final String UDP = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              100: 0200007F:2710 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5 2 0000000000000000 0
            """;

    @Test
    void listeningTcpSocketsWithLittleEndianAddresses() throws Exception {
        List<ProcNet.Bound> b = ProcNet.parse(TCP, true);
        // 0x1F95 = 8085 on 127.0.0.1; 0x0016 = 22 on 0.0.0.0; the established connection (01) is not listening
        assertThat(b).containsExactly(new ProcNet.Bound(InetAddress.getByName("127.0.0.1"), 8085),
                new ProcNet.Bound(InetAddress.getByName("0.0.0.0"), 22));
    }

    @Test
    void ipv6Words() throws Exception {
        assertThat(ProcNet.parse(TCP6, true)).containsExactly(new ProcNet.Bound(InetAddress.getByName("::1"), 8080),
                new ProcNet.Bound(InetAddress.getByName("::"), 443));
    }

    @Test
    void udpSocketsCountInAnyState() throws Exception {
        assertThat(ProcNet.parse(UDP, false)).containsExactly(
                new ProcNet.Bound(InetAddress.getByName("127.0.0.2"), 10000));
    }

    @Test
    void collisions() throws Exception {
        var any = InetAddress.getByName("0.0.0.0");
        var two = InetAddress.getByName("127.0.0.2");
        var three = InetAddress.getByName("127.0.0.3");
        var onTwo = new ProcNet.Bound(two, 10000);
        assertThat(onTwo.collidesWith(two, 10000)).isTrue();
        assertThat(onTwo.collidesWith(any, 10000)).isTrue();
        assertThat(onTwo.collidesWith(three, 10000)).isFalse();
        assertThat(onTwo.collidesWith(two, 10001)).isFalse();
        assertThat(new ProcNet.Bound(any, 10000).collidesWith(three, 10000)).isTrue();
    }
}
