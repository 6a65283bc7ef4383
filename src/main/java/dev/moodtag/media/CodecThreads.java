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

    /** FFmpeg's codec threads among those running now that were not in {@code before}. */
    static Set<String> startedSince(Set<String> before) {
        Set<String> started = new HashSet<>();
        if (!READABLE) return started;
        for (String id : running()) {
            if (before.contains(id)) continue;
            try {
                if (Files.readString(TASKS.resolve(id).resolve("comm")).startsWith("av:")) started.add(id);
            } catch (IOException | UncheckedIOException e) {
                // ended already
            }
        }
        return started;
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
