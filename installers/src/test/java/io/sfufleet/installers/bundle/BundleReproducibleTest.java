package io.sfufleet.installers.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.installers.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same inputs give the same bundle bytes: the whole build (jdeps, jlink, copies, signature,
 * archive) is run again here, into other directories, and compared with what the Maven build made.
 */
class BundleReproducibleTest {
    @TempDir
    Path temp;

    @Test
    void aSecondBuildFromTheSameInputsIsIdenticalByteForByte() throws Exception {
        long started = System.nanoTime();
        Path again = BundleBuilder.build(new BundleBuilder.Spec(
                Path.of(TestBundles.property("sfu.server.jar")).toAbsolutePath(),
                Path.of(TestBundles.property("sfu.bundle.templates")).toAbsolutePath(),
                Path.of(TestBundles.property("sfu.release.key")).toAbsolutePath(),
                TestBundles.version(), Instant.parse(TestBundles.property("sfu.timestamp")),
                temp.resolve("work"), temp.resolve("out")));
        System.out.printf("bundle rebuilt in %.1f s%n", (System.nanoTime() - started) / 1e9);
        byte[] first = Files.readAllBytes(TestBundles.bundle());
        byte[] second = Files.readAllBytes(again);
        assertThat(again.getFileName()).isEqualTo(TestBundles.bundle().getFileName());
        int mismatch = Arrays.mismatch(first, second);
        if (mismatch >= 0) {
            // Say which files differ: the two signed manifests, line by line.
            String top = "sfu-server-" + TestBundles.version() + "/MANIFEST";
            List<String> a = Files.readAllLines(Path.of(TestBundles.property("sfu.bundle.work")).resolve(top));
            List<String> b = Files.readAllLines(temp.resolve("work").resolve(top));
            List<String> onlyA = a.stream().filter(l -> !b.contains(l)).toList();
            List<String> onlyB = b.stream().filter(l -> !a.contains(l)).toList();
            throw new AssertionError("the bundles differ from byte " + mismatch + "; MANIFEST lines only in the first: "
                    + onlyA + ", only in the second: " + onlyB);
        }
        TestBundles.run(Duration.ofMinutes(1), List.of("rm", "-rf", temp.resolve("work").toString()), Map.of(), null);
    }
}
