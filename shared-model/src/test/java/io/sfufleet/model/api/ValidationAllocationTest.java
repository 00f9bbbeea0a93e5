package io.sfufleet.model.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.TrackKind;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Valid records cost no more than themselves: a console reads some 200,000 track records a second
 * from 100 nodes, and checks that built their error message before knowing there was an error
 * allocated several times the record's own size on every one.
 */
class ValidationAllocationTest {
    @Test
    void checkingAValidTrackRecordAllocatesNoMessage() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += build(i).packets(); // warm-up: JIT and the string concatenation bootstraps
        }
        int n = 100_000;
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < n; i++) {
            sink += build(i).packets();
        }
        long perRecord = (threads.getThreadAllocatedBytes(id) - before) / n;
        assertThat(sink).isPositive();
        // the record (about 80 bytes) and its boxed rtt; each message would add 60 bytes or more
        assertThat(perRecord).as("bytes allocated per valid ReceivedTrackStats").isLessThan(160);
    }

    private static ReceivedTrackStats build(int i) {
        return new ReceivedTrackStats("p01-v1", "p01", TrackKind.video, 123_456L + i, 900_000 + i, 1000 + i,
                1_000_000 + i, (i % 100) / 10.0, 3.5, 20.0 + i % 7, i % 13, i % 3, "full");
    }
}
