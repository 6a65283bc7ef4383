package dev.moodtag.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Which files in a folder are media to tag (as opposed to sidecar transcripts, results and notes). */
public final class MediaFiles {
    private MediaFiles() {
    }

    /**
     * Extensions walked by default; anything FFmpeg decodes still works when named explicitly. Besides the everyday ones,
     * the archives people batch-tag (ArchiveFormatsTest): camcorder AVCHD and broadcast TS, DVD and other MPEG program
     * streams, Windows Media, phone 3GP, audio-only Matroska and WebM, AIFF, audiobooks, MXF, DV, AMR and CAF.
     */
    public static final Set<String> EXTENSIONS = Set.of("wav", "flac", "mp3", "ogg", "opus", "oga", "m4a", "aac",
            "mp4", "m4v", "mov", "mkv", "webm", "avi", "flv", "jpg", "jpeg", "png", "bmp", "webp",
            "mts", "m2ts", "ts", "mpg", "mpeg", "vob", "wmv", "wma", "asf", "3gp", "3g2", "mka", "aif", "aiff", "m4b", "weba", "mxf", "dv",
            "amr", "caf");

    /**
     * Extensions of {@link #EXTENSIONS} that other files people keep beside media have too: TypeScript source is .ts, and
     * .mts as an ES module. A walk keeps such a file only when its bytes are a transport stream ({@link #notMedia}).
     */
    private static final Set<String> SHARED_WITH_SOURCE = Set.of("ts", "mts");
    /** The bytes from a file's start that {@link #notMedia} needs. */
    public static final int HEAD_BYTES = TransportStreamHead.BYTES;

    public static boolean isMedia(Path file) {
        return EXTENSIONS.contains(extension(file.getFileName().toString()));
    }

    /** The extension of a file name, lower case; "" where there is none (a leading dot starts a hidden name). */
    private static String extension(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        return dot > 0 ? lower.substring(dot + 1) : "";
    }

    /** Whether a walk must look at a file's bytes before taking it for media, because source code shares its name. */
    public static boolean nameSharedWithSource(String name) {
        return SHARED_WITH_SOURCE.contains(extension(name));
    }

    /**
     * Why a file a walk found is not media after all, from its first {@link #HEAD_BYTES} bytes (all of it where it is
     * shorter); empty where it is, or where its name is not {@link #nameSharedWithSource shared}. A file named
     * explicitly is tried whatever its bytes, and its decoding says what it is.
     */
    public static Optional<String> notMedia(String name, byte[] head) {
        if (!nameSharedWithSource(name) || TransportStreamHead.couldBe(head)) return Optional.empty();
        return Optional.of("not media: a ." + extension(name) + " file whose bytes are not an MPEG transport stream"
                + " (TypeScript source has the same extension)");
    }

    /**
     * Whether a walk takes a local file for media: by its name, and for a name that source code shares, by its bytes
     * ({@link #notMedia(String, byte[])}); one that cannot be read here is left to the decoder.
     */
    public static boolean isWalkedMedia(Path file) {
        if (!isMedia(file)) return false;
        String name = file.getFileName().toString();
        if (!nameSharedWithSource(name)) return true;
        try (InputStream in = Files.newInputStream(file)) {
            return notMedia(name, in.readNBytes(HEAD_BYTES)).isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The media files named, with folders expanded (recursively, sorted) to the media files they hold; a file named is
     * kept whatever it holds.
     */
    public static List<Path> expand(List<Path> paths) {
        return paths.stream().flatMap(MediaFiles::expand).toList();
    }

    private static Stream<Path> expand(Path p) {
        if (!Files.isDirectory(p)) return Stream.of(p);
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile).filter(MediaFiles::isWalkedMedia).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + p, e);
        }
    }
}
