package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The checks made on a file before FFmpeg sees it: they are cheap, and they give clearer reasons than
 * FFmpeg's errors would (an empty file, a document that is not media, a container cut short).
 */
final class MediaFileCheck {
    private static final int SNIFF_BYTES = 4096;
    private static final String TEXT = "a text file";

    private MediaFileCheck() {
    }

    /**
     * Throws the first problem found: NOT_FOUND, EMPTY, LIMIT_EXCEEDED (size), UNSUPPORTED, TRUNCATED (a declared length
     * the file lacks, an Ogg file without its closing page, or a file of a container declaring no length that ends
     * inside its last packet, frame or pack: {@link CutEnd}).
     *
     * @return whether the container declares its length in bytes, or (Ogg) was seen to end as its writer closes it, so
     *         that truncation has been checked already
     */
    static boolean check(Path file, long maxFileBytes) {
        String name = nameOf(file);
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
            throw new MediaException(Kind.NOT_FOUND, name, "no readable file at this path");
        long size = size(file, name);
        if (size == 0) throw new MediaException(Kind.EMPTY, name, "the file has 0 bytes");
        if (size > maxFileBytes)
            throw new MediaException(Kind.LIMIT_EXCEEDED, name,
                    "the file has " + size + " bytes, more than the limit of " + maxFileBytes);
        String document = nonMediaKind(head(file, name));
        if (document != null && MediaFiles.nameSharedWithSource(name) && document.equals(TEXT))
            throw new MediaException(Kind.UNSUPPORTED, name, "this is a text file (TypeScript source, by its name), not an"
                    + " MPEG transport stream");
        if (document != null)
            throw new MediaException(Kind.UNSUPPORTED, name, "this is " + document + ", not audio, video or a picture");
        long declared = DeclaredLength.of(file);
        if (declared > size)
            throw new MediaException(Kind.TRUNCATED, name,
                    "the container header declares " + declared + " bytes but the file has only " + size);
        OggEnding ogg = OggEnding.of(file);
        if (ogg == OggEnding.CUT_INSIDE_A_PAGE)
            throw new MediaException(Kind.TRUNCATED, name, "its last Ogg page runs past the end of the file");
        if (ogg == OggEnding.NO_END_OF_STREAM)
            throw new MediaException(Kind.TRUNCATED, name, "it ends without the end-of-stream page every Ogg writer closes with");
        Optional<String> cut = declared > 0 ? Optional.empty() : CutEnd.of(file);
        if (cut.isPresent()) throw new MediaException(Kind.TRUNCATED, name, cut.get());
        return declared > 0 || ogg == OggEnding.COMPLETE;
    }

    /** The name messages give {@code file}: its own, or that of the object it is a scratch copy of ({@link ShownNames}). */
    static String nameOf(Path file) {
        return ShownNames.nameOf(file);
    }

    /**
     * Recognises common files that are not media, so they are reported as UNSUPPORTED (we know what they are
     * and cannot decode them) instead of CORRUPT (bytes that make no sense). Returns null for anything else.
     */
    static String nonMediaKind(byte[] head) {
        if (startsWith(head, "%PDF".getBytes(StandardCharsets.US_ASCII))) return "a PDF document";
        if (startsWith(head, new byte[]{'P', 'K', 3, 4})) return "a zip archive or office document";
        if (startsWith(head, new byte[]{0x1f, (byte) 0x8b})) return "a gzip archive";
        if (looksLikeText(head)) return TEXT;
        return null;
    }

    private static boolean looksLikeText(byte[] head) {
        String s = new String(head, StandardCharsets.UTF_8);
        // The sniffed block may end inside a multi-byte character; only that tail may fail to decode.
        int end = s.length();
        while (end > 0 && s.length() - end < 3 && s.charAt(end - 1) == '\uFFFD') end--;
        return s.substring(0, end).chars().allMatch(c -> c != '\uFFFD'
                && (c >= 0x20 || c == '\n' || c == '\r' || c == '\t' || c == '\f'));
    }

    /** Whether {@code head} begins with {@code prefix} (also {@link CutEnd}'s sniffing of AMR headers). */
    static boolean startsWith(byte[] head, byte[] prefix) {
        return head.length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static long size(Path file, String name) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new MediaException(Kind.NOT_FOUND, name, "cannot read the file size: " + ShownNames.reasonOf(e), e);
        }
    }

    private static byte[] head(Path file, String name) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            throw new MediaException(Kind.NOT_FOUND, name, "cannot read the file: " + ShownNames.reasonOf(e), e);
        }
    }
}
