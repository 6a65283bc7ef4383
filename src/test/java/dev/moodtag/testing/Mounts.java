package dev.moodtag.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Small real file systems for tests of full, tiny and read-only folders: tmpfs mounts, which need root (or
 * CAP_SYS_ADMIN). Where mounting is not allowed, {@link #tmpfs} says so and the tests that need one are skipped.
 */
public final class Mounts {
    private Mounts() {
    }

    /** Mounts a tmpfs of {@code sizeBytes} on {@code dir} (created); false when this process may not mount. */
    public static boolean tmpfs(Path dir, long sizeBytes) {
        try {
            Files.createDirectories(dir);
            unmount(dir); // what a killed earlier run left mounted
            return run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes, "tmpfs", dir.toAbsolutePath().toString());
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean remountReadOnly(Path dir) {
        return run("mount", "-o", "remount,ro", dir.toAbsolutePath().toString());
    }

    public static void unmount(Path dir) {
        while (isMountPoint(dir)) {
            if (!run("umount", dir.toAbsolutePath().toString())) return;
        }
    }

    private static boolean isMountPoint(Path dir) {
        return run("mountpoint", "-q", dir.toAbsolutePath().toString());
    }

    private static boolean run(String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
