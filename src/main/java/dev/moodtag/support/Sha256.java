package dev.moodtag.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one way moodtag computes a sha256: lowercase hex, as the pack manifest, results and caches record it.
 * Streams are read in 64 KiB blocks, so a model or media file of any size costs no more memory.
 */
public final class Sha256 {
    private Sha256() {
    }

    /** A fresh digest, for callers that hash while they copy. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the stream to its end (the caller closes it). */
    public static String of(InputStream in) throws IOException {
        MessageDigest md = digest();
        update(md, in);
        return hex(md);
    }

    /** Adds the rest of the stream to {@code md}. */
    public static void update(MessageDigest md, InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    }

    public static String of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " to hash it", e);
        }
    }
}
