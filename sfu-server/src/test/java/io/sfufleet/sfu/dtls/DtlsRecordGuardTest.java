package io.sfufleet.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;

import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.Test;

/** {@link RecordGuard} against hand-built DTLS 1.2 records (RFC 6347 section 4.1). */
class DtlsRecordGuardTest {
    private static final RecordGuard GCM = RecordGuard.forSuite(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, false);
    private static final RecordGuard CBC = RecordGuard.forSuite(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, false);
    private static final RecordGuard CBC_ETM = RecordGuard.forSuite(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, true);

    /** One record: type, version FEFD, epoch, 48-bit sequence 0, length, then {@code length} zero bytes. */
    private static byte[] record(int type, int epoch, int length) {
        byte[] r = new byte[13 + length];
        r[0] = (byte) type;
        r[1] = (byte) 0xFE;            // DTLS 1.2 = {254, 253}
        r[2] = (byte) 0xFD;
        r[3] = (byte) (epoch >> 8);    // epoch
        r[4] = (byte) epoch;
        // r[5..10]: sequence number 0
        r[11] = (byte) (length >> 8);  // fragment length
        r[12] = (byte) length;
        return r;
    }

    private static byte[] concat(byte[]... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes(r);
        }
        return out.toByteArray();
    }

    @Test
    void gcmNeedsNonceAndTag() {
        assertThat(GCM.accepts(record(23, 1, 23))).isFalse();
        assertThat(GCM.accepts(record(23, 1, 24))).isTrue(); // 8-byte nonce + 16-byte tag, empty data
        assertThat(GCM.accepts(record(23, 1, 101))).isTrue();
    }

    @Test
    void cbcNeedsIvAndWholeBlocksHoldingMacAndPadding() {
        assertThat(CBC.accepts(record(23, 1, 32))).isFalse();  // IV + one block cannot hold a 20-byte MAC and padding
        assertThat(CBC.accepts(record(23, 1, 47))).isFalse();  // not whole blocks
        assertThat(CBC.accepts(record(23, 1, 48))).isTrue();
        assertThat(CBC.accepts(record(23, 1, 64))).isTrue();
    }

    @Test
    void cbcWithEncryptThenMacNeedsWholeBlocksBeforeTheMac() {
        assertThat(CBC_ETM.accepts(record(23, 1, 48))).isFalse(); // 28 bytes before the MAC
        assertThat(CBC_ETM.accepts(record(23, 1, 52))).isTrue();  // IV + one block + MAC
        assertThat(CBC_ETM.accepts(record(23, 1, 68))).isTrue();
    }

    @Test
    void epochZeroAndTruncatedRecordsAreLeftToBouncyCastle() {
        assertThat(GCM.accepts(record(22, 0, 1))).isTrue();
        byte[] truncated = record(23, 1, 5);
        truncated[12] = 50; // claims more than the datagram holds
        assertThat(GCM.accepts(truncated)).isTrue();
        assertThat(GCM.accepts(new byte[5])).isTrue();
    }

    @Test
    void everyRecordOfTheDatagramIsChecked() {
        assertThat(GCM.accepts(concat(record(22, 1, 40), record(21, 1, 26)))).isTrue();
        assertThat(GCM.accepts(concat(record(22, 1, 40), record(21, 1, 2)))).isFalse();
        assertThat(GCM.accepts(concat(record(22, 0, 3), record(20, 1, 1)))).isFalse();
    }

    @Test
    void refusesSuitesItHasNoShapeFor() {
        assertThatThrownBy(() -> RecordGuard.forSuite(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
