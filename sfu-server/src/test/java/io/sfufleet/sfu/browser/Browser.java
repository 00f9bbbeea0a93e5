package io.sfufleet.sfu.browser;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.sfu.browser.ClientView.Participant;
import io.sfufleet.sfu.browser.ClientView.RemoteTrack;
import io.sfufleet.sfu.browser.ClientView.Stats;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium, driven through chromedriver, running the node's built-in client. Reads
 * the client's state through its automation API {@code window.sfu} (documented in client.js).
 *
 * <p>Uses the distribution's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (both
 * overridable with the system properties {@code sfu.test.chromium} and
 * {@code sfu.test.chromedriver}); with both paths given, Selenium Manager is never asked to find
 * or download anything. Each browser gets a fresh profile directory, deleted by {@link #close()}.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = System.getProperty("sfu.test.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("sfu.test.chromedriver", "/usr/bin/chromedriver");

    /**
     * Selenium warns on every session that it has no CDP bindings for this Chromium; the tests do
     * not use CDP. Held in a field so the logger (and its level) is not collected.
     */
    private static final java.util.logging.Logger CDP_VERSION_LOG = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String label;
    private final ChromeDriver driver;
    private final Path profile;

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private Browser(String label, ChromeDriver driver, Path profile) {
        this.label = label;
        this.driver = driver;
        this.profile = profile;
    }

    /** Whether this machine has the browser and its driver; the tests fail with a hint if not. */
    static String missingTools() {
        StringBuilder missing = new StringBuilder();
        for (String tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(tool))) {
                missing.append(tool).append(' ');
            }
        }
        return missing.toString().trim();
    }

    /**
     * Starts a browser.
     *
     * @param label  short name used in logs and failure messages
     * @param logDir where chromedriver's log goes
     */
    static Browser launch(String label, Path logDir) {
        Path profile;
        try {
            Files.createDirectories(logDir);
            profile = Files.createTempDirectory("sfu-chromium-" + label + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogFile(logDir.resolve("chromedriver-" + label + ".log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--use-fake-device-for-media-stream",
                // Also answers getDisplayMedia with a generated screen, no picker, no gesture.
                "--use-fake-ui-for-media-stream",
                "--allow-loopback-in-peer-connection",
                // Remote audio plays (and is decoded) without a click.
                "--autoplay-policy=no-user-gesture-required",
                // Several browsers share two cores: never throttle a page's timers or media.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--window-size=1280,800",
                "--user-data-dir=" + profile);
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return new Browser(label, driver, profile);
    }

    String label() {
        return label;
    }

    void open(String url) {
        driver.get(url);
    }

    String state() {
        return (String) driver.executeScript("return window.sfu ? window.sfu.state : 'no-client';");
    }

    String participantId() {
        return (String) driver.executeScript("return window.sfu ? window.sfu.participantId : null;");
    }

    List<RemoteTrack> remoteTracks() {
        return syncJson("window.sfu.remoteTracks()", new TypeReference<>() { });
    }

    List<Participant> participants() {
        return syncJson("window.sfu.participants()", new TypeReference<>() { });
    }

    List<ClientView.LocalSource> localSources() {
        return syncJson("window.sfu.localSources()", new TypeReference<>() { });
    }

    /** The text of the page's button {@code id}, and whether it is disabled, as "text|disabled". */
    String button(String id) {
        return (String) driver.executeScript("const b = document.getElementById(" + quote(id) + ");"
                + " return b ? b.textContent + (b.disabled ? '|disabled' : '|enabled') : null;");
    }

    Stats stats() {
        return asyncJson("window.sfu.stats()", new TypeReference<>() { });
    }

    /** {@code sfu.e2ee()}: the end-to-end encryption worker's counters. */
    ClientView.E2ee e2ee() {
        return syncJson("window.sfu.e2ee()", new TypeReference<>() { });
    }

    /**
     * The share of visibly lit pixels (any channel above 40) in the first frame-showing video of
     * {@code participantId}'s tile, 0 to 1; -1 while none shows a frame. A decoder fed garbage or
     * nothing shows black (or no frame at all).
     */
    double litShare(String participantId) {
        Object v = driver.executeScript("const tile = document.querySelector('.tile[data-participant-id=\"'"
                + " + arguments[0] + '\"]');"
                + " const video = tile && [...tile.querySelectorAll('video')].find(e => e.videoWidth > 0);"
                + " if (!video) return -1;"
                + " const c = document.createElement('canvas'); c.width = 64; c.height = 48;"
                + " const g = c.getContext('2d'); g.drawImage(video, 0, 0, 64, 48);"
                + " const d = g.getImageData(0, 0, 64, 48).data; let lit = 0;"
                + " for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) > 40) lit++;"
                + " return lit / (64 * 48);", participantId);
        return ((Number) v).doubleValue();
    }

    void setMuted(String source, boolean muted) {
        asyncJson("window.sfu.setMuted(" + quote(source) + ", " + muted + ")", new TypeReference<Object>() { });
    }

    void setCamera(boolean on) {
        asyncJson("window.sfu.setCamera(" + on + ")", new TypeReference<Object>() { });
    }

    void startScreenShare() {
        asyncJson("window.sfu.startScreenShare()", new TypeReference<Object>() { });
    }

    void stopScreenShare() {
        asyncJson("window.sfu.stopScreenShare()", new TypeReference<Object>() { });
    }

    /** {@code sfu.restartIce()}: what the client does by itself when ICE turns disconnected or failed. */
    void restartIce() {
        asyncJson("window.sfu.restartIce()", new TypeReference<Object>() { });
    }

    /** {@code sfu.iceRestarts}: ICE restarts the client started. */
    long iceRestarts() {
        return ((Number) driver.executeScript("return window.sfu.iceRestarts;")).longValue();
    }

    /** Runs {@code script} (a function body) in the page and returns what it returns. */
    Object execute(String script) {
        return driver.executeScript(script);
    }

    /** The page's error or notice banner, or "" while it is hidden. */
    String bannerText() {
        return (String) driver.executeScript(
                "const b = document.getElementById('banner'); return b && !b.hidden ? b.textContent : '';");
    }

    /** {@code sfu.lastError.code}, or null. */
    String lastErrorCode() {
        return (String) driver.executeScript("return window.sfu && sfu.lastError ? sfu.lastError.code : null;");
    }

    void leave() {
        driver.executeScript("if (window.sfu) window.sfu.leave();");
    }

    /** Saves a PNG of the page. */
    Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            return Files.move(shot, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the client can tell, for failure messages; never throws. */
    String diagnostics() {
        StringBuilder out = new StringBuilder("---- browser ").append(label).append(" ----\n");
        appendTo(out, "url", () -> driver.getCurrentUrl());
        appendTo(out, "state", () -> String.valueOf(driver.executeScript(
                "return window.sfu ? JSON.stringify({state: sfu.state, participantId: sfu.participantId,"
                        + " lastError: sfu.lastError, participants: sfu.participants()}) : 'no window.sfu';")));
        appendTo(out, "remoteTracks", () -> String.valueOf(driver.executeScript(
                "return JSON.stringify(window.sfu.remoteTracks());")));
        appendTo(out, "stats", () -> {
            try {
                return JSON.writeValueAsString(stats());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        appendTo(out, "log", () -> {
            Object lines = driver.executeScript("return window.sfu.logs().slice(-80).join('\\n');");
            return "\n" + lines;
        });
        return out.toString();
    }

    private static void appendTo(StringBuilder out, String what, java.util.function.Supplier<String> value) {
        String text;
        try {
            text = value.get();
        } catch (RuntimeException e) {
            text = "(unavailable: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + ")";
        }
        out.append(what).append(": ").append(text).append('\n');
    }

    private <T> T syncJson(String expression, TypeReference<T> type) {
        Object json = driver.executeScript("return JSON.stringify(" + expression + ");");
        return parse(String.valueOf(json), type, expression);
    }

    /** Awaits a promise in the page; a rejection becomes an AssertionError naming it. */
    private <T> T asyncJson(String promiseExpression, TypeReference<T> type) {
        Object result = driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "Promise.resolve().then(() => " + promiseExpression + ")"
                        + ".then(v => done({ok: JSON.stringify(v === undefined ? null : v)}),"
                        + " e => done({err: String(e && (e.stack || e.message) || e)}));");
        if (!(result instanceof Map<?, ?> map)) {
            throw new AssertionError(label + ": " + promiseExpression + " returned " + result);
        }
        if (map.containsKey("err")) {
            throw new AssertionError(label + ": " + promiseExpression + " failed: " + map.get("err"));
        }
        return parse(String.valueOf(map.get("ok")), type, promiseExpression);
    }

    private <T> T parse(String json, TypeReference<T> type, String what) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new AssertionError(label + ": cannot read " + what + " = " + json, e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A profile directory left in /tmp is not worth failing a test over.
            System.getLogger(Browser.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete " + root + ": " + e);
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
