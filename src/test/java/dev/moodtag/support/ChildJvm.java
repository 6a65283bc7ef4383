package dev.moodtag.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A test class's {@code main} run in a JVM of its own: a memory bound is shown under a small heap, which the test
 * JVM's own heap (and what other tests left in it) would hide.
 */
public final class ChildJvm {

    /** What the child printed (its standard output and error together) and its exit status. */
    public record Ran(int exit, String said) {
    }

    private ChildJvm() {
    }

    /** {@code main}'s main with {@code args}, under {@code options} (e.g. "-Xmx300m"), waited for at most {@code limit}. */
    public static Ran run(Class<?> main, List<String> options, Duration limit, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS), main.getSimpleName() + " still running: " + said);
        return new Ran(p.exitValue(), said);
    }

    /** This process's peak resident memory as a child says it ({@code VmHWM: N kB}), or "VmHWM unknown" off Linux. */
    public static String peak() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .findFirst().orElse("VmHWM unknown").replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "VmHWM unknown";
        }
    }
}
