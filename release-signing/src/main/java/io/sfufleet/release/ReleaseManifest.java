package io.sfufleet.release;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The manifest of a release tree: one line per regular file, {@code <sha256 hex>  <path>}, sorted
 * by path, in exactly the format {@code sha256sum -c} reads, so that install.sh can check it with
 * coreutils alone. The manifest itself ({@value #MANIFEST}) and its detached Ed25519 signature
 * ({@value #SIGNATURE}, the 64 raw signature bytes {@code openssl pkeyutl -verify -rawin} takes)
 * sit at the root of the tree and are not listed.
 *
 * <p>Checking verifies the signature first and only then trusts the manifest's lines; a file that
 * is missing, changed or not listed is a rejection, with the path and what is wrong with it.
 */
public final class ReleaseManifest {
    public static final String MANIFEST = "MANIFEST";
    public static final String SIGNATURE = "MANIFEST.sig";

    /** Paths that sha256sum writes without escaping and shells handle without quoting trouble. */
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._+@-]+(/[A-Za-z0-9._+@-]+)*");
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  (.+)");

    private ReleaseManifest() {
    }

    /** The manifest text for every regular file under root (refuses symbolic links and odd names). */
    public static String build(Path root) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Path> e : files(root).entrySet()) {
            out.append(HexFormat.of().formatHex(sha256(e.getValue()))).append("  ").append(e.getKey()).append('\n');
        }
        return out.toString();
    }

    /** Writes {@value #MANIFEST} and {@value #SIGNATURE} into root. */
    public static void sign(Path root, Ed25519PrivateKeyParameters key) throws IOException {
        Files.deleteIfExists(root.resolve(MANIFEST));
        Files.deleteIfExists(root.resolve(SIGNATURE));
        byte[] manifest = build(root).getBytes(StandardCharsets.UTF_8);
        Files.write(root.resolve(MANIFEST), manifest);
        Files.write(root.resolve(SIGNATURE), signature(key, manifest));
    }

    /** Ed25519 (RFC 8032, pure): deterministic, so the same key and manifest give the same bytes. */
    public static byte[] signature(Ed25519PrivateKeyParameters key, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public static boolean signatureValid(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /**
     * Checks a release tree against its signed manifest.
     *
     * @throws BundleRejectedException with every problem found, the signature's first (nothing
     *                                 else is looked at when the signature does not hold)
     */
    public static void verify(Path root, Ed25519PublicKeyParameters key) throws IOException, BundleRejectedException {
        Path manifestFile = root.resolve(MANIFEST);
        Path signatureFile = root.resolve(SIGNATURE);
        for (Path p : List.of(manifestFile, signatureFile)) {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new BundleRejectedException(List.of("missing " + root.relativize(p) + ": the bundle is not signed"));
            }
        }
        byte[] manifest = Files.readAllBytes(manifestFile);
        byte[] signature = Files.readAllBytes(signatureFile);
        if (signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE || !signatureValid(key, manifest, signature)) {
            throw new BundleRejectedException(List.of("bad signature: " + SIGNATURE + " does not match " + MANIFEST
                    + " for this site's public key (the manifest was changed, or signed with another key)"));
        }
        Map<String, String> expected = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = new String(manifest, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i == lines.length - 1 && lines[i].isEmpty()) {
                break;
            }
            var m = LINE.matcher(lines[i]);
            if (!m.matches() || !SAFE_PATH.matcher(m.group(2)).matches() || m.group(2).contains("..")) {
                problems.add(MANIFEST + " line " + (i + 1) + " is malformed");
            } else {
                expected.put(m.group(2), m.group(1));
            }
        }
        Map<String, Path> actual = files(root);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = actual.remove(e.getKey());
            if (file == null) {
                problems.add("missing file: " + e.getKey());
            } else if (!HexFormat.of().formatHex(sha256(file)).equals(e.getValue())) {
                problems.add("changed file (SHA-256 differs from " + MANIFEST + "): " + e.getKey());
            }
        }
        for (String extra : actual.keySet()) {
            problems.add("file not in " + MANIFEST + ": " + extra);
        }
        if (!problems.isEmpty()) {
            throw new BundleRejectedException(problems);
        }
    }

    /** Regular files under root by relative path ('/'-separated), sorted, without the manifest pair. */
    private static Map<String, Path> files(Path root) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (Files.isSymbolicLink(p)) {
                    throw new IOException("symbolic link in a release tree: " + rel);
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || rel.equals(MANIFEST) || rel.equals(SIGNATURE)) {
                    continue;
                }
                if (!SAFE_PATH.matcher(rel).matches()) {
                    throw new IOException("file name a manifest cannot carry safely: " + rel);
                }
                out.put(rel, p);
            }
        }
        return out;
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }
}
