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
     * @throws StorageException TOO_LARGE (target deleted) once more than {@code maxBytes} arrive
     * @throws IOException      reading or writing failed (target deleted)
     */
    static CopiedObject copy(InputStream in, Path target, long maxBytes, String what) throws IOException {
        MessageDigest sha = Sha256.digest();
        long total = 0;
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new StorageException(StorageException.Kind.TOO_LARGE,
                            what + " is larger than the limit of " + maxBytes + " bytes");
                }
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            ok = true;
        } finally {
            if (!ok) Files.deleteIfExists(target);
        }
        return new CopiedObject(total, Sha256.hex(sha));
    }
}
