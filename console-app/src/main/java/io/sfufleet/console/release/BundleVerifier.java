package io.sfufleet.console.release;

import io.sfufleet.release.BundleRejectedException;
import io.sfufleet.release.ReleaseManifest;
import io.sfufleet.release.SigningKeys;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Checks an offline bundle ({@code sfu-server-<version>-linux-x64.tar.gz}) against the site's
 * public key before it goes anywhere: unpacks it into a scratch folder (regular files and folders
 * only, no links, no absolute or {@code ..} paths, bounded size), verifies {@code MANIFEST.sig}
 * and every sum, and deletes the scratch folder again. The same checks as {@code install.sh}.
 */
public final class BundleVerifier {
    /** The bundle is about 60 MB packed; its runtime and jars unpack to about 160 MB. */
    static final long MAX_UNPACKED_BYTES = 1L << 30;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*/?");

    /** What a bundle that passed says about itself. */
    public record Verified(String topFolder, String version, int files) {
    }

    private BundleVerifier() {
    }

    public static Verified verify(Path bundle, Path sitePublicKey) throws IOException, BundleRejectedException {
        var key = SigningKeys.readPublicKey(sitePublicKey);
        Path scratch = Files.createTempDirectory("sfu-bundle-check-");
        try {
            String top = unpack(bundle, scratch);
            Path root = scratch.resolve(top);
            ReleaseManifest.verify(root, key);
            Path versionFile = root.resolve("VERSION");
            String version = Files.isRegularFile(versionFile)
                    ? Files.readString(versionFile, StandardCharsets.UTF_8).strip() : top;
            int files;
            try (Stream<Path> s = Files.walk(root)) {
                files = (int) s.filter(Files::isRegularFile).count();
            }
            return new Verified(top, version, files);
        } finally {
            deleteTree(scratch);
        }
    }

    /** Unpacks a ustar archive; returns its single top folder. */
    static String unpack(Path bundle, Path into) throws IOException, BundleRejectedException {
        List<String> problems = new ArrayList<>();
        String top = null;
        long total = 0;
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(bundle), 65536))) {
            byte[] h = new byte[512];
            while (true) {
                if (in.readNBytes(h, 0, 512) < 512) {
                    throw new BundleRejectedException(List.of("the archive ends in the middle of an entry: it is truncated"));
                }
                if (isZero(h)) {
                    break;
                }
                String name = text(h, 0, 100);
                String prefix = text(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                char type = (char) (h[156] == 0 ? '0' : h[156]);
                long size = octal(h, 124, 12);
                if (!SAFE.matcher(name).matches() || name.contains("..")) {
                    throw new BundleRejectedException(List.of("unsafe path in the archive: " + name));
                }
                if (type != '0' && type != '5') {
                    throw new BundleRejectedException(List.of("the archive holds a link or special file: " + name
                            + " (a bundle has only files and folders)"));
                }
                String first = name.split("/", 2)[0];
                if (top == null) {
                    top = first;
                } else if (!top.equals(first)) {
                    throw new BundleRejectedException(List.of("the archive has more than one top folder: " + top
                            + " and " + first));
                }
                total += size;
                if (total > MAX_UNPACKED_BYTES) {
                    throw new BundleRejectedException(List.of("the archive unpacks to more than 1 GiB: not a bundle"));
                }
                Path target = into.resolve(name);
                if (type == '5') {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copy(in, out, size);
                    }
                    long pad = (512 - size % 512) % 512;
                    if (skipFully(in, pad) < pad) {
                        throw new BundleRejectedException(List.of("the archive is truncated in " + name));
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            problems.add("not a gzip archive: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new BundleRejectedException(problems);
        }
        if (top == null) {
            throw new BundleRejectedException(List.of("the archive is empty"));
        }
        return top;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException, BundleRejectedException {
        byte[] buf = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new BundleRejectedException(List.of("the archive is truncated"));
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static long skipFully(InputStream in, long n) throws IOException {
        return in.readNBytes((int) n).length;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) throws BundleRejectedException {
        String s = text(h, off, len).strip();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new BundleRejectedException(List.of("a malformed tar header (size " + s + ")"));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
