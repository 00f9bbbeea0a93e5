package io.sfufleet.installers.tools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a directory tree as a reproducible POSIX ustar archive, gzip-compressed: entries sorted by
 * path, one fixed modification time, owner 0/0 without names, mode 0755 for directories and
 * executable files and 0644 for the rest. {@link GZIPOutputStream} writes a header with no time
 * and no file name, so the same tree gives the same bytes on every build and machine with the same
 * JDK. Only directories and regular files are accepted: a symbolic link in the tree is an error.
 */
public final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {
    }

    /**
     * @param tree   the directory to archive
     * @param top    the name of the archive's single top-level directory (tree's contents go under it)
     * @param mtime  the modification time of every entry
     * @param output the .tar.gz to write
     */
    public static void write(Path tree, String top, Instant mtime, Path output) throws IOException {
        write(tree, top, mtime, output, Deflater.BEST_COMPRESSION);
    }

    /** As {@link #write(Path, String, Instant, Path)} with a gzip level (tests trade size for speed). */
    public static void write(Path tree, String top, Instant mtime, Path output, int level) throws IOException {
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p)) {
                    throw new IOException("symbolic link in a bundle tree: " + p);
                }
                if (!p.equals(tree)) {
                    paths.add(tree.relativize(p).toString().replace('\\', '/'));
                }
            }
        }
        paths.sort(null);
        long seconds = mtime.getEpochSecond();
        try (OutputStream file = Files.newOutputStream(output);
             GZIPOutputStream gz = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16) {
                 {
                     def.setLevel(level);
                 }
             }) {
            header(gz, top + "/", 0755, 0, seconds, '5');
            for (String rel : paths) {
                Path p = tree.resolve(rel);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    header(gz, top + "/" + rel + "/", 0755, 0, seconds, '5');
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    long size = Files.size(p);
                    header(gz, top + "/" + rel, Files.isExecutable(p) ? 0755 : 0644, size, seconds, '0');
                    long copied = Files.copy(p, gz);
                    if (copied != size) {
                        throw new IOException(p + " changed while it was archived");
                    }
                    gz.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
                } else {
                    throw new IOException("neither a file nor a directory: " + p);
                }
            }
            gz.write(new byte[2 * BLOCK]);
        }
    }

    private static void header(OutputStream out, String name, int mode, long size, long mtime, char type)
            throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] full = name.getBytes(StandardCharsets.UTF_8);
        String prefix = "";
        String rest = name;
        if (full.length > 100) {
            // ustar: a name that does not fit in 100 bytes is split at a '/' into prefix (155) and name.
            int cut = name.lastIndexOf('/', name.endsWith("/") ? name.length() - 2 : name.length() - 1);
            while (cut > 0 && (cut > 155 || name.length() - cut - 1 > 100)) {
                cut = name.lastIndexOf('/', cut - 1);
            }
            if (cut <= 0) {
                throw new IOException("path too long for a ustar archive: " + name);
            }
            prefix = name.substring(0, cut);
            rest = name.substring(cut + 1);
        }
        put(h, 0, 100, rest);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 345, 155, prefix);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        put(h, 148, 6, chk);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    private static void put(byte[] h, int off, int len, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > len) {
            throw new IOException("tar header field too long: " + s);
        }
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static void octal(byte[] h, int off, int len, long value) throws IOException {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1) {
            throw new IOException("value too large for a ustar header: " + value);
        }
        put(h, off, len - 1, "0".repeat(len - 1 - s.length()) + s);
    }
}
