package io.sfufleet.sfu.rtp;

import java.util.Arrays;

/**
 * Reads the AV1 RTP dependency descriptor header extension (AV1 RTP specification, appendix A;
 * {@value #URI}), which Chromium sends for AV1, VP9 and VP8 where it is negotiated. It says which
 * spatial and temporal layer a packet's frame belongs to and what the frame depends on, in the
 * RTP header: an SFU can choose layers from it without reading the payload, which end-to-end
 * encryption makes unreadable anyway.
 *
 * <p>One reader per stream, confined to the media loop: a descriptor with a template dependency
 * structure (keyframes) replaces the reader's structure; the later, short descriptors name a
 * template in it. {@link #read} allocates only when a new structure arrives, never reads outside
 * the element and bounds every loop by the element's bits. Bad input returns a {@link Status}
 * other than {@link Status#OK} (the caller counts and drops); a structure already held survives a
 * bad descriptor.
 */
public final class DependencyDescriptor {
    public static final String URI =
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";
    /** Decode targets are at most 32 (dt_cnt_minus_one is 5 bits); templates at most 64 (6-bit ids). */
    public static final int MAX_DECODE_TARGETS = 32;
    public static final int MAX_TEMPLATES = 64;
    /** A bound of ours: four fdiffs per frame are what libwebrtc's structures use; sixteen is ample. */
    public static final int MAX_FDIFFS = 16;

    /** What {@link #read} made of a descriptor. */
    public enum Status {
        OK,
        /** Shorter than the three mandatory bytes. */
        TOO_SHORT,
        /** A field runs past the end of the element. */
        TRUNCATED,
        /** It names a template, or active decode targets, before any structure arrived: not malformed. */
        NO_STRUCTURE,
        /** Its template id is not one of the structure's. */
        UNKNOWN_TEMPLATE,
        /** A structure over our bounds (more templates, spatial layers or fdiffs than allowed). */
        OVER_LIMIT;

        /** Whether the descriptor itself is broken (as opposed to arriving before its structure). */
        public boolean malformed() {
            return this != OK && this != NO_STRUCTURE;
        }
    }

    /**
     * A template dependency structure (appendix A.8.1), immutable once read.
     *
     * @param templateIdOffset the frame_dependency_template_id of template 0
     * @param renderWidths     per spatial id, or null without resolutions
     */
    public record Structure(int templateIdOffset, int decodeTargets, int templates, int[] spatialIds,
                            int[] temporalIds, int[][] dtis, int[][] fdiffs, int chains, int[] protectedBy,
                            int[][] chainFdiffs, int[] decodeTargetSpatialIds, int[] decodeTargetTemporalIds,
                            int[] renderWidths, int[] renderHeights) {
        public int maxSpatialId() {
            return spatialIds[templates - 1];
        }

        /** Whether {@code other} holds the same structure, field by field. */
        public boolean sameAs(Structure other) {
            return other != null && templateIdOffset == other.templateIdOffset && decodeTargets == other.decodeTargets
                    && templates == other.templates && chains == other.chains
                    && Arrays.equals(spatialIds, other.spatialIds) && Arrays.equals(temporalIds, other.temporalIds)
                    && Arrays.deepEquals(dtis, other.dtis) && Arrays.deepEquals(fdiffs, other.fdiffs)
                    && Arrays.equals(protectedBy, other.protectedBy) && Arrays.deepEquals(chainFdiffs, other.chainFdiffs)
                    && Arrays.equals(decodeTargetSpatialIds, other.decodeTargetSpatialIds)
                    && Arrays.equals(decodeTargetTemporalIds, other.decodeTargetTemporalIds)
                    && Arrays.equals(renderWidths, other.renderWidths) && Arrays.equals(renderHeights, other.renderHeights);
        }
    }

    // the stream's structure, and the last descriptor read
    private Structure structure;
    private boolean startOfFrame;
    private boolean endOfFrame;
    private int templateId;
    private int frameNumber;
    private int spatialId = -1;
    private int temporalId = -1;
    private int activeDecodeTargets;
    private final int[] frameDtis = new int[MAX_DECODE_TARGETS];
    private final int[] frameFdiffs = new int[MAX_FDIFFS];
    private int frameFdiffCount;
    private final int[] frameChainFdiffs = new int[MAX_DECODE_TARGETS];

    // bit reader state for one read
    private byte[] buf;
    private int bitPos;
    private int bitEnd;
    private boolean overrun;

    /**
     * Reads the descriptor in {@code len} bytes at {@code off} (the extension element's data). On
     * anything but {@link Status#OK} the frame fields are left unusable ({@link #spatialId} -1).
     */
    public Status read(byte[] b, int off, int len) {
        spatialId = -1;
        temporalId = -1;
        if (len < 3 || off < 0 || off + len > b.length) {
            return Status.TOO_SHORT;
        }
        buf = b;
        bitPos = off * 8;
        bitEnd = (off + len) * 8;
        overrun = false;
        boolean sof = bits(1) == 1;
        boolean eof = bits(1) == 1;
        int tid = bits(6);
        int number = bits(16);
        boolean customDtis = false;
        boolean customFdiffs = false;
        boolean customChains = false;
        Structure s = structure;
        int active = s == null ? 0 : activeDecodeTargets;
        if (len > 3) {
            boolean structurePresent = bits(1) == 1;
            boolean activePresent = bits(1) == 1;
            customDtis = bits(1) == 1;
            customFdiffs = bits(1) == 1;
            customChains = bits(1) == 1;
            if (structurePresent) {
                Status st = readStructure();
                if (st != Status.OK) {
                    return st;
                }
                // Senders repeat the structure with every keyframe: the same one keeps its
                // identity, so users keyed on it (layer choice, rates) need not start over.
                s = pending.sameAs(structure) ? structure : pending;
                active = s.decodeTargets == 32 ? -1 : (1 << s.decodeTargets) - 1;
            }
            if (activePresent) {
                if (s == null) {
                    return Status.NO_STRUCTURE;
                }
                active = bits(s.decodeTargets);
            }
        }
        if (s == null) {
            return Status.NO_STRUCTURE;
        }
        int index = (tid + 64 - s.templateIdOffset) % 64;
        if (index >= s.templates) {
            return Status.UNKNOWN_TEMPLATE;
        }
        if (customDtis) {
            for (int i = 0; i < s.decodeTargets; i++) {
                frameDtis[i] = bits(2);
            }
        } else {
            System.arraycopy(s.dtis[index], 0, frameDtis, 0, s.decodeTargets);
        }
        if (customFdiffs) {
            int n = 0;
            for (int size = bits(2); size != 0 && !overrun; size = bits(2)) {
                if (n == MAX_FDIFFS) {
                    return Status.OVER_LIMIT;
                }
                frameFdiffs[n++] = bits(4 * size) + 1;
            }
            frameFdiffCount = n;
        } else {
            int[] f = s.fdiffs[index];
            System.arraycopy(f, 0, frameFdiffs, 0, f.length);
            frameFdiffCount = f.length;
        }
        if (customChains) {
            for (int i = 0; i < s.chains; i++) {
                frameChainFdiffs[i] = bits(8);
            }
        } else {
            System.arraycopy(s.chainFdiffs[index], 0, frameChainFdiffs, 0, s.chains);
        }
        if (overrun) {
            return Status.TRUNCATED;
        }
        // all read: only now does the stream's state change
        structure = s;
        activeDecodeTargets = active;
        startOfFrame = sof;
        endOfFrame = eof;
        templateId = tid;
        frameNumber = number;
        spatialId = s.spatialIds[index];
        temporalId = s.temporalIds[index];
        return Status.OK;
    }

    private Structure pending;

    /** template_dependency_structure() into {@link #pending}; the stream's structure is untouched. */
    private Status readStructure() {
        int offset = bits(6);
        int dtCount = bits(5) + 1;
        // template_layers(): next_layer_idc 0 same layer, 1 next temporal, 2 next spatial, 3 end
        int[] sid = new int[MAX_TEMPLATES];
        int[] tidOf = new int[MAX_TEMPLATES];
        int count = 0;
        int spatial = 0;
        int temporal = 0;
        int idc;
        do {
            if (count == MAX_TEMPLATES) {
                return Status.OVER_LIMIT;
            }
            sid[count] = spatial;
            tidOf[count] = temporal;
            count++;
            idc = bits(2);
            if (idc == 1) {
                temporal++;
            } else if (idc == 2) {
                temporal = 0;
                spatial++;
            }
            if (overrun) {
                return Status.TRUNCATED;
            }
        } while (idc != 3);
        int[][] dtis = new int[count][dtCount];
        for (int t = 0; t < count; t++) {
            for (int d = 0; d < dtCount; d++) {
                dtis[t][d] = bits(2);
            }
        }
        int[][] fdiffs = new int[count][];
        int[] scratch = new int[MAX_FDIFFS];
        for (int t = 0; t < count; t++) {
            int n = 0;
            while (bits(1) == 1 && !overrun) {
                if (n == MAX_FDIFFS) {
                    return Status.OVER_LIMIT;
                }
                scratch[n++] = bits(4) + 1;
            }
            fdiffs[t] = Arrays.copyOf(scratch, n);
        }
        // template_chains()
        int chains = ns(dtCount + 1);
        int[] protectedBy = new int[dtCount];
        int[][] chainFdiffs = new int[count][chains];
        if (chains > 0) {
            for (int d = 0; d < dtCount; d++) {
                protectedBy[d] = ns(chains);
            }
            for (int t = 0; t < count; t++) {
                for (int c = 0; c < chains; c++) {
                    chainFdiffs[t][c] = bits(4);
                }
            }
        }
        // decode_target_layers(): the highest layers each decode target needs
        int[] dtSpatial = new int[dtCount];
        int[] dtTemporal = new int[dtCount];
        for (int d = 0; d < dtCount; d++) {
            for (int t = 0; t < count; t++) {
                if (dtis[t][d] != 0) {
                    dtSpatial[d] = Math.max(dtSpatial[d], sid[t]);
                    dtTemporal[d] = Math.max(dtTemporal[d], tidOf[t]);
                }
            }
        }
        int[] widths = null;
        int[] heights = null;
        if (bits(1) == 1) {
            widths = new int[spatial + 1];
            heights = new int[spatial + 1];
            for (int i = 0; i <= spatial; i++) {
                widths[i] = bits(16) + 1;
                heights[i] = bits(16) + 1;
            }
        }
        if (overrun) {
            return Status.TRUNCATED;
        }
        pending = new Structure(offset, dtCount, count, Arrays.copyOf(sid, count), Arrays.copyOf(tidOf, count),
                dtis, fdiffs, chains, protectedBy, chainFdiffs, dtSpatial, dtTemporal, widths, heights);
        return Status.OK;
    }

    /** f(n): n bits, most significant first; past the end it reads zeros and sets {@link #overrun}. */
    private int bits(int n) {
        if (bitPos + n > bitEnd) {
            overrun = true;
            bitPos = bitEnd;
            return 0;
        }
        int v = 0;
        for (int i = 0; i < n; i++, bitPos++) {
            v = (v << 1) | ((buf[bitPos >>> 3] >>> (7 - (bitPos & 7))) & 1);
        }
        return v;
    }

    /** ns(n): a non-symmetric unsigned value below n (AV1 specification section 4.10.10). */
    private int ns(int n) {
        int w = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << w) - n;
        int v = bits(w - 1);
        if (v < m) {
            return v;
        }
        return (v << 1) - m + bits(1);
    }

    /** The structure the stream's descriptors refer to; null before the first. */
    public Structure structure() {
        return structure;
    }

    /** The last good descriptor's frame spatial id; -1 after a failed read. */
    public int spatialId() {
        return spatialId;
    }

    public int temporalId() {
        return temporalId;
    }

    public boolean startOfFrame() {
        return startOfFrame;
    }

    public boolean endOfFrame() {
        return endOfFrame;
    }

    public int templateId() {
        return templateId;
    }

    public int frameNumber() {
        return frameNumber;
    }

    /** Bit i set: decode target i is active (the sender produces it). */
    public int activeDecodeTargets() {
        return activeDecodeTargets;
    }

    /** The frame's decode target indication for decode target {@code i} (0 not present, 1 discardable, 2 switch, 3 required). */
    public int dti(int i) {
        return frameDtis[i];
    }

    public int fdiffCount() {
        return frameFdiffCount;
    }

    public int fdiff(int i) {
        return frameFdiffs[i];
    }

    public int chainFdiff(int chain) {
        return frameChainFdiffs[chain];
    }
}
