package dev.moodtag.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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

    public static boolean isMedia(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    /** The media files named, with folders expanded (recursively, sorted) to the media files they hold. */
    public static List<Path> expand(List<Path> paths) {
        return paths.stream().flatMap(MediaFiles::expand).toList();
    }

    private static Stream<Path> expand(Path p) {
        if (!Files.isDirectory(p)) return Stream.of(p);
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile).filter(MediaFiles::isMedia).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + p, e);
        }
    }
}
