package io.sfufleet.console.monitor;

import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} samples of one node, oldest first. Thread-safe; copies are cheap at 300 entries. */
public final class SampleRing {
    private final Sample[] ring;
    private int next;
    private int size;

    public SampleRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, not " + capacity);
        }
        ring = new Sample[capacity];
    }

    public synchronized void add(Sample s) {
        ring[next] = s;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** The samples at or after {@code sinceMillis}, oldest first. */
    public synchronized List<Sample> since(long sinceMillis) {
        List<Sample> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Sample s = ring[(next - size + i + ring.length) % ring.length];
            if (s.atMillis() >= sinceMillis) {
                out.add(s);
            }
        }
        return out;
    }

    public List<Sample> all() {
        return since(Long.MIN_VALUE);
    }

    public synchronized int size() {
        return size;
    }
}
