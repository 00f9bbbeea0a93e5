package io.sfufleet.sfu.browser;

import static org.junit.jupiter.api.Assertions.fail;

import io.sfufleet.sfu.SfuNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** What every Chromium test class does before and after its browsers. */
final class BrowserTests {
    private BrowserTests() {
    }

    /**
     * Runs only inside the surefire execution browser-tests: src/test/netns/bin/java-in-netns sets
     * SFU_BROWSER_TEST_NETNS. Without it this JVM is the default execution (e.g. -Dtest matched
     * there too), and the class is left to browser-tests. Missing Chromium is a failure, not a skip.
     */
    static void requireBrowserEnvironment() {
        Assumptions.assumeTrue(System.getenv("SFU_BROWSER_TEST_NETNS") != null,
                "browser tests run only in the surefire execution browser-tests (loopback-only network namespace)");
        String missing = Browser.missingTools();
        if (!missing.isEmpty()) {
            fail("browser tests need " + missing + ": apt-get install -y chromium chromium-driver"
                    + " (see shared/TOOLCHAIN.md), or run Maven with -DskipBrowserTests");
        }
    }

    /** Quits every browser, then stops the node; the first failure is rethrown after all are closed. */
    static void closeAll(Collection<Browser> browsers, SfuNode node) {
        List<RuntimeException> failures = new ArrayList<>();
        for (Browser b : browsers) {
            try {
                b.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        browsers.clear();
        if (node != null) {
            node.close();
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
