package io.sfufleet.sfu.browser;

import static org.junit.jupiter.api.Assertions.fail;

import io.sfufleet.sfu.SfuNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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

    /**
     * Polls {@code condition} every 250 ms until it holds; after {@code timeout} fails with
     * {@code what}, {@code state}, the last exception the condition threw (a page mid-reload
     * throws) and every browser's diagnostics (console log, connection states).
     */
    static void await(String what, Duration timeout, Collection<Browser> browsers, Supplier<Boolean> condition,
                      Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        String extra = state.get();
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what
                + (extra.isEmpty() ? "" : " " + extra)
                + (last == null ? "" : "\nlast exception: " + last) + "\n"
                + browsers.stream().map(Browser::diagnostics).collect(Collectors.joining("\n")));
    }

    static void await(String what, Duration timeout, Collection<Browser> browsers, Supplier<Boolean> condition)
            throws InterruptedException {
        await(what, timeout, browsers, condition, () -> "");
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
