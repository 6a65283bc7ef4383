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

    /** Gives a mounted tmpfs {@code sizeBytes} and makes it writable again (a disk with room again, keeping its files). */
    public static boolean resize(Path dir, long sizeBytes) {
        return run("mount", "-o", "remount,rw,size=" + sizeBytes, dir.toAbsolutePath().toString());
    }

    /**
     * Fills the file system of {@code dir} with {@code dir/name} until it takes no more bytes; its size. A tmpfs that is
     * full from the start, or made full part-way through a test.
     */
    public static long fill(Path dir, String name) throws IOException {
        Path filler = dir.resolve(name);
        byte[] chunk = new byte[4096];
        long written = 0;
        try (java.io.OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
                written += chunk.length;
            }
        } catch (IOException full) {
            // a short write leaves what fitted, which is what a full disk is
        }
        // the last chunks in smaller pieces, down to the byte
        try (java.io.OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 4096; i++) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // full to the byte
        }
        return Files.size(filler);
    }

    public static void unmount(Path dir) {
        while (isMountPoint(dir)) {
            if (run("umount", dir.toAbsolutePath().toString())) continue;
            // busy: a file a library left open when its write failed (libsvm's model writer closes nothing on an
            // error). Detached now, freed once the last file closes, so the test's folder can go.
            if (!run("umount", "-l", dir.toAbsolutePath().toString())) return;
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
