package io.sfufleet.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.DependencyDescriptor.Status;
import io.sfufleet.sfu.rtp.DependencyDescriptor.Structure;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Known-answer descriptors, hand-built bit by bit from the AV1 RTP specification's appendix A
 * syntax (the field comments give each field's bits in order), then malformed and random input.
 */
public class DependencyDescriptorTest {

    /**
     * L1T1 (one layer, as Chromium's VP8 without temporal layers) with a structure:
     * 1 start_of_frame, 1 end_of_frame, 000000 template id 0, 0x0001 frame_number;
     * 1 structure present, 0 active targets present, 0 custom dtis, 0 custom fdiffs, 0 custom chains;
     * structure: 000000 template_id_offset 0, 00000 dt_cnt_minus_one (1 decode target),
     * template_layers 00 (next template same layer) 11 (end): two templates at (S0, T0);
     * template_dtis 10 (T0: switch) 10 (T1: switch);
     * template_fdiffs 0 (T0: none) | 1 0000 0 (T1: fdiff 1);
     * template_chains: ns(2) = 1 -> one chain; protected_by ns(1) reads no bits; chain fdiffs 0000 (T0) 0001 (T1);
     * 1 resolutions present: 639 (640 wide) 479 (480 high); then 7 zero bits of padding.
     */
    static final byte[] L1T1_KEY = hex("C0 00 01 80 00 3A 41 01 81 3F 80 EF 80");
    /** Mandatory fields only: 1 1 000001 (template 1), frame_number 2. */
    static final byte[] L1T1_DELTA = hex("C1 00 02");

    /**
     * L1T3 with template_id_offset 62 (ids wrap at 64), and every custom field:
     * 1 start, 0 end, 000001 template id 1 (index (1 + 64 - 62) % 64 = 3), 0x1234 frame_number;
     * 11111: structure, active targets, custom dtis, custom fdiffs, custom chains all present;
     * structure: 111110 offset 62, 00010 three decode targets;
     * layers 00 01 01 11: T0 (S0,T0), T1 (S0,T0), T2 (S0,T1), T3 (S0,T2);
     * dtis 10 10 10 | 10 10 10 | 00 01 11 | 00 00 01;
     * fdiffs 0 | 1 0011 0 (4) | 1 0001 0 (2) | 1 0000 0 (1);
     * chains: ns(4) = 01 (one chain), chain fdiffs 0000 0100 0010 0001; 0 no resolutions;
     * active decode targets 011; custom dtis 00 00 11;
     * custom fdiffs 01 0010 (size 1: fdiff 3) 10 00010100 (size 2: fdiff 21) 00 (end);
     * custom chain fdiff 00000111 (7); 7 zero bits of padding.
     */
    static final byte[] L1T3_CUSTOM = hex("81 12 34 FF C2 17 AA A1 C1 4D 14 08 21 09 86 94 28 03 80");

    /**
     * L2T1: two spatial layers, frame of template 1:
     * 1 1 000001 (template 1), frame_number 7; 1 0 0 0 0 (structure only);
     * 000000 offset 0, 00001 two decode targets; layers 10 (next spatial) 11: T0 (S0,T0), T1 (S1,T0);
     * dtis 10 10 | 00 10; fdiffs 0 | 1 0000 0;
     * chains ns(3) = 11 (two chains), protected_by ns(2) 0 and 1, chain fdiffs 0000 0000 | 0001 0001;
     * 1 resolutions: 319 179 (320x180) 639 359 (640x360).
     */
    public static final byte[] L2T1 = hex("C1 00 07 80 01 BA 24 1A 00 23 01 3F 00 B3 02 7F 01 67");

    @Test
    void aKeyframeStructureThenADeltaNamingATemplateOfIt() {
        DependencyDescriptor d = new DependencyDescriptor();
        assertThat(d.read(L1T1_KEY, 0, L1T1_KEY.length)).isEqualTo(Status.OK);
        Structure s = d.structure();
        assertThat(s.templateIdOffset()).isZero();
        assertThat(s.decodeTargets()).isEqualTo(1);
        assertThat(s.templates()).isEqualTo(2);
        assertThat(s.spatialIds()).containsExactly(0, 0);
        assertThat(s.temporalIds()).containsExactly(0, 0);
        assertThat(s.dtis()[0]).containsExactly(2);
        assertThat(s.fdiffs()[0]).isEmpty();
        assertThat(s.fdiffs()[1]).containsExactly(1);
        assertThat(s.chains()).isEqualTo(1);
        assertThat(s.chainFdiffs()[1]).containsExactly(1);
        assertThat(s.renderWidths()).containsExactly(640);
        assertThat(s.renderHeights()).containsExactly(480);
        assertThat(d.startOfFrame()).isTrue();
        assertThat(d.endOfFrame()).isTrue();
        assertThat(d.frameNumber()).isEqualTo(1);
        assertThat(d.templateId()).isZero();
        assertThat(d.spatialId()).isZero();
        assertThat(d.temporalId()).isZero();
        assertThat(d.fdiffCount()).isZero();
        assertThat(d.activeDecodeTargets()).isEqualTo(1);

        assertThat(d.read(L1T1_DELTA, 0, L1T1_DELTA.length)).isEqualTo(Status.OK);
        assertThat(d.structure()).isSameAs(s);
        assertThat(d.frameNumber()).isEqualTo(2);
        assertThat(d.templateId()).isEqualTo(1);
        assertThat(d.fdiffCount()).isEqualTo(1);
        assertThat(d.fdiff(0)).isEqualTo(1);
        assertThat(d.chainFdiff(0)).isEqualTo(1);
        assertThat(d.dti(0)).isEqualTo(2);
    }

    @Test
    void customDtisFdiffsChainsActiveTargetsAndAWrappingTemplateOffset() {
        DependencyDescriptor d = new DependencyDescriptor();
        byte[] b = new byte[L1T3_CUSTOM.length + 7];
        System.arraycopy(L1T3_CUSTOM, 0, b, 5, L1T3_CUSTOM.length); // read at an offset in a larger buffer
        assertThat(d.read(b, 5, L1T3_CUSTOM.length)).isEqualTo(Status.OK);
        Structure s = d.structure();
        assertThat(s.templateIdOffset()).isEqualTo(62);
        assertThat(s.decodeTargets()).isEqualTo(3);
        assertThat(s.temporalIds()).containsExactly(0, 0, 1, 2);
        assertThat(s.dtis()[2]).containsExactly(0, 1, 3);
        assertThat(s.fdiffs()[1]).containsExactly(4);
        assertThat(s.fdiffs()[2]).containsExactly(2);
        assertThat(s.chainFdiffs()[1]).containsExactly(4);
        assertThat(s.decodeTargetTemporalIds()).containsExactly(0, 1, 2);
        assertThat(s.decodeTargetSpatialIds()).containsExactly(0, 0, 0);
        assertThat(s.renderWidths()).isNull();
        assertThat(d.startOfFrame()).isTrue();
        assertThat(d.endOfFrame()).isFalse();
        assertThat(d.frameNumber()).isEqualTo(0x1234);
        assertThat(d.spatialId()).isZero();
        assertThat(d.temporalId()).isEqualTo(2);
        assertThat(d.activeDecodeTargets()).isEqualTo(0b011);
        assertThat(new int[] {d.dti(0), d.dti(1), d.dti(2)}).containsExactly(0, 0, 3);
        assertThat(d.fdiffCount()).isEqualTo(2);
        assertThat(new int[] {d.fdiff(0), d.fdiff(1)}).containsExactly(3, 21);
        assertThat(d.chainFdiff(0)).isEqualTo(7);

        // template id 62 is index 0 of this structure; 61 is index 63, which it does not have
        assertThat(d.read(hex("FE 00 09"), 0, 3)).isEqualTo(Status.OK);
        assertThat(d.temporalId()).isZero();
        assertThat(d.activeDecodeTargets()).as("kept from the last descriptor that set it").isEqualTo(0b011);
        assertThat(d.read(hex("FD 00 0A"), 0, 3)).isEqualTo(Status.UNKNOWN_TEMPLATE);
    }

    @Test
    void spatialLayersAndTheirResolutions() {
        DependencyDescriptor d = new DependencyDescriptor();
        assertThat(d.read(L2T1, 0, L2T1.length)).isEqualTo(Status.OK);
        Structure s = d.structure();
        assertThat(s.spatialIds()).containsExactly(0, 1);
        assertThat(s.maxSpatialId()).isEqualTo(1);
        assertThat(s.chains()).isEqualTo(2);
        assertThat(s.protectedBy()).containsExactly(0, 1);
        assertThat(s.chainFdiffs()[1]).containsExactly(1, 1);
        assertThat(s.decodeTargetSpatialIds()).containsExactly(0, 1);
        assertThat(s.renderWidths()).containsExactly(320, 640);
        assertThat(s.renderHeights()).containsExactly(180, 360);
        assertThat(d.spatialId()).isEqualTo(1);
        assertThat(d.temporalId()).isZero();
        assertThat(d.frameNumber()).isEqualTo(7);
        assertThat(d.activeDecodeTargets()).isEqualTo(0b11);
    }

    @Test
    void aRepeatedStructureKeepsItsIdentityAndAnotherOneReplacesIt() {
        DependencyDescriptor d = new DependencyDescriptor();
        assertThat(d.read(L2T1, 0, L2T1.length)).isEqualTo(Status.OK);
        Structure first = d.structure();
        assertThat(d.read(L2T1, 0, L2T1.length)).isEqualTo(Status.OK);
        assertThat(d.structure()).isSameAs(first);
        assertThat(d.read(L1T1_KEY, 0, L1T1_KEY.length)).isEqualTo(Status.OK);
        assertThat(d.structure()).isNotSameAs(first);
        assertThat(first.sameAs(d.structure())).isFalse();
    }

    @Test
    void beforeAnyStructureATemplateCannotBeResolvedButThatIsNotMalformed() {
        DependencyDescriptor d = new DependencyDescriptor();
        Status st = d.read(L1T1_DELTA, 0, 3);
        assertThat(st).isEqualTo(Status.NO_STRUCTURE);
        assertThat(st.malformed()).isFalse();
        assertThat(d.spatialId()).isEqualTo(-1);
    }

    @Test
    void tooShortAndUnknownTemplatesAreErrorsAndTheStructureSurvivesThem() {
        DependencyDescriptor d = new DependencyDescriptor();
        assertThat(d.read(new byte[] {(byte) 0xC0, 0}, 0, 2)).isEqualTo(Status.TOO_SHORT);
        assertThat(d.read(L1T1_KEY, 0, L1T1_KEY.length)).isEqualTo(Status.OK);
        Structure s = d.structure();
        Status unknown = d.read(hex("C5 00 03"), 0, 3); // template 5 of a two-template structure
        assertThat(unknown).isEqualTo(Status.UNKNOWN_TEMPLATE);
        assertThat(unknown.malformed()).isTrue();
        assertThat(d.spatialId()).isEqualTo(-1);
        assertThat(d.structure()).isSameAs(s);
        assertThat(d.read(L1T1_DELTA, 0, 3)).isEqualTo(Status.OK);
        assertThat(d.frameNumber()).isEqualTo(2);
    }

    @Test
    void everyCutOfAStructureIsTruncatedAndChangesNothing() {
        for (byte[] full : new byte[][] {L1T1_KEY, L1T3_CUSTOM, L2T1}) {
            for (int len = 4; len < full.length; len++) {
                DependencyDescriptor d = new DependencyDescriptor();
                assertThat(d.read(L2T1, 0, L2T1.length)).isEqualTo(Status.OK);
                Structure before = d.structure();
                byte[] cut = Arrays.copyOf(full, len);
                Status st = d.read(cut, 0, len);
                assertThat(st).as("%s cut to %d bytes", HexFormat.of().formatHex(full), len).isEqualTo(Status.TRUNCATED);
                assertThat(d.structure()).isSameAs(before);
            }
        }
    }

    @Test
    void anActiveTargetsMaskWithoutAStructureIsNoStructure() {
        // 1 1 000000, frame 1; 0 structure, 1 active targets present, 000, then a byte of mask
        assertThat(new DependencyDescriptor().read(hex("C0 00 01 40 80"), 0, 5)).isEqualTo(Status.NO_STRUCTURE);
    }

    @Test
    void moreTemplatesThanSixtyFourAreOverTheLimit() {
        // 1 1 000000 frame 0; 1 0000; offset 000000, 00000 one target; then 64 x "00" (same layer) and never "11"
        byte[] b = new byte[3 + 40];
        b[0] = (byte) 0xC0;
        b[3] = (byte) 0x80;
        assertThat(new DependencyDescriptor().read(b, 0, b.length)).isEqualTo(Status.OVER_LIMIT);
    }

    @Test
    void randomBytesNeverThrowAndGoodReadsStayInsideTheStructure() {
        SplittableRandom random = new SplittableRandom(6);
        DependencyDescriptor d = new DependencyDescriptor();
        int ok = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[random.nextInt(0, 48)];
            random.nextBytes(b);
            if (i % 3 == 0 && b.length > 3) {
                b[3] |= (byte) 0x80; // a structure present: the random bits then go through its reader
            }
            Status st = d.read(b, 0, b.length);
            if (st == Status.OK) {
                ok++;
                Structure s = d.structure();
                assertThat(d.spatialId()).isBetween(0, s.maxSpatialId());
                assertThat(d.fdiffCount()).isBetween(0, DependencyDescriptor.MAX_FDIFFS);
            } else {
                assertThat(d.spatialId()).isEqualTo(-1);
            }
        }
        assertThat(ok).as("some random descriptors parse, so the loop exercised the good path too").isPositive();
    }

    @Test
    void theElementIsFoundInOneByteAndTwoByteHeaderExtensions() {
        // RTP fixed header (V=2, X=1), then 0xBEDE with 5 words: element id 3 length 13 = L1T1_KEY, padding
        byte[] one = hex("90 60 00 01 00 00 00 00 00 00 00 01 BE DE 00 04"
                + " 3C C0 00 01 80 00 3A 41 01 81 3F 80 EF 80 00 00 AA");
        long found = HeaderExtensions.find(one, 0, one.length, 3);
        assertThat(HeaderExtensions.length(found)).isEqualTo(13);
        DependencyDescriptor d = new DependencyDescriptor();
        assertThat(d.read(one, HeaderExtensions.position(found), HeaderExtensions.length(found))).isEqualTo(Status.OK);
        assertThat(HeaderExtensions.find(one, 0, one.length, 4)).isEqualTo(-1);
        // two-byte form (0x1000): id 7, length 19 = L1T3_CUSTOM, one byte of padding
        byte[] two = hex("90 60 00 01 00 00 00 00 00 00 00 01 10 00 00 06 07 13 "
                + "81 12 34 FF C2 17 AA A1 C1 4D 14 08 21 09 86 94 28 03 80 00 00 00 AA");
        found = HeaderExtensions.find(two, 0, two.length, 7);
        assertThat(HeaderExtensions.length(found)).isEqualTo(19);
        assertThat(d.read(two, HeaderExtensions.position(found), HeaderExtensions.length(found))).isEqualTo(Status.OK);
        assertThat(d.temporalId()).isEqualTo(2);
        // an element running past the block is not returned
        byte[] broken = Arrays.copyOf(two, two.length);
        broken[17] = (byte) 0x30;
        assertThat(HeaderExtensions.find(broken, 0, broken.length, 7)).isEqualTo(-1);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
