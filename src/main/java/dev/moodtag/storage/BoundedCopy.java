package dev.moodtag.storage;

import dev.moodtag.support.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Copies a stream to a file in fixed-size chunks, refusing more than a limit and checksumming on the way. */
final class BoundedCopy {
    private BoundedCopy() {
    }

    private static final int CHUNK = 64 * 1024;

    /**
     * @param expectedBytes the size the store announced, or -1: an object larger than the limit, or than the target's
     *                      file system can hold, is refused before anything is written
     * @throws StorageException TOO_LARGE (target deleted) once more than {@code maxBytes} arrive; a
     *                          {@link LocalFailures#ofScratch} failure when the target cannot be written (target deleted)
     * @throws IOException      reading the source failed (target deleted)
     */
    static CopiedObject copy(InputStream in, long expectedBytes, Path target, long maxBytes, String what) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        try {
            if (expectedBytes > maxBytes) throw tooLarge(what, maxBytes);
            LocalFailures.checkRoom(folder, expectedBytes, what);
        } catch (StorageException e) {
            Files.deleteIfExists(target); // as after a refusal midway: nothing of the object is left
            throw e;
        }
        MessageDigest sha = Sha256.digest();
        long total = 0;
        boolean ok = false;
        OutputStream out;
        try {
            out = Files.newOutputStream(target);
        } catch (IOException e) {
            throw LocalFailures.ofScratch(e, folder, expectedBytes, what);
        }
        try {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxBytes) throw tooLarge(what, maxBytes);
                sha.update(buf, 0, n);
                // The source's failures are the caller's to name; the target's are the temporary folder's.
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    throw LocalFailures.ofScratch(e, folder, expectedBytes, what);
                }
            }
            try {
                out.close();
            } catch (IOException e) {
                throw LocalFailures.ofScratch(e, folder, expectedBytes, what);
            }
            ok = true;
        } finally {
            if (!ok) discard(out, target);
        }
        return new CopiedObject(total, Sha256.hex(sha));
    }

    private static StorageException tooLarge(String what, long maxBytes) {
        return new StorageException(StorageException.Kind.TOO_LARGE, what + " is larger than the limit of " + maxBytes + " bytes");
    }

    private static void discard(OutputStream out, Path target) {
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing: the file is deleted next
        }
        try {
            Files.deleteIfExists(target);
        } catch (IOException ignored) {
            // a temporary file in the scratch folder, removed with it
        }
    }
}
