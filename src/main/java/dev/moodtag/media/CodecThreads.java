package dev.moodtag.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The OS threads FFmpeg starts for one decoder (a codec's frame and slice threads, which it names
 * {@code av:<codec>:...}) and their CPU time, which the JVM's thread clocks miss: read from Linux's {@code /proc},
 * where a film decoded whole spent 0.22 s of 0.73 s on its decoding thread and the rest on these. Elsewhere none are
 * found, and an object's CPU time is what {@link CpuAccount} sees otherwise.
 */
final class CodecThreads {
    private static final Path TASKS = Path.of("/proc/self/task");
    static final boolean READABLE = Files.isReadable(Path.of("/proc/thread-self/schedstat"));

    private CodecThreads() {
    }

    /** The process's OS thread ids now (empty where not readable). */
    static Set<String> running() {
        Set<String> ids = new HashSet<>();
        if (!READABLE) return ids;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(t -> ids.add(t.getFileName().toString()));
        } catch (IOException | UncheckedIOException e) {
            // counted short: the object's CPU time falls back to its share of the process's
        }
        return ids;
    }

    /**
     * The threads a decoder's opening on the calling thread started: FFmpeg's codec threads among those running now
     * that were not in {@code before}, and those that bear the calling thread's name still. A thread starts with its
     * creator's name and FFmpeg's name themselves once they run: on a loaded machine 41 of 60 frame threads (20 openings
     * of an 8K film, the cores kept busy) had not yet when they were listed, and were counted for no object.
     */
    static Started startedSince(Set<String> before) {
        Set<String> codec = new HashSet<>(), unnamed = new HashSet<>();
        if (!READABLE) return new Started(codec, unnamed, "");
        String creator = read(Path.of("/proc/thread-self/comm"));
        for (String id : running()) {
            if (before.contains(id)) continue;
            String name = name(id);
            if (name == null) continue; // ended already
            if (isCodecThread(name)) codec.add(id);
            else if (name.equals(creator)) unnamed.add(id);
        }
        return new Started(codec, unnamed, creator == null ? "" : creator);
    }

    /**
     * What a decoder's opening started: {@code codec}, FFmpeg's codec threads; {@code unnamed}, threads that bore
     * {@code creatorName} still, the name of the thread that opened it, and are its codec threads once they bear
     * FFmpeg's name.
     */
    record Started(Set<String> codec, Set<String> unnamed, String creatorName) {
    }

    /** Whether {@code name} is one FFmpeg gives its codec threads ({@code av:<codec>:...}). */
    static boolean isCodecThread(String name) {
        return name.startsWith("av:");
    }

    /** The name OS thread {@code id} bears now, null where it has ended. */
    static String name(String id) {
        return read(TASKS.resolve(id).resolve("comm"));
    }

    /** A thread's name from its {@code comm} file, null where it has ended. */
    private static String read(Path comm) {
        try {
            return Files.readString(comm).strip();
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** The nanoseconds thread {@code id} has run, -1 where it has ended. */
    static long cpuNanos(String id) {
        try {
            String stat = Files.readString(TASKS.resolve(id).resolve("schedstat"));
            int end = stat.indexOf(' ');
            return Long.parseLong(end < 0 ? stat.trim() : stat.substring(0, end));
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return -1;
        }
    }
}
