package dev.moodtag.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Sha256Test {

    @Test
    void knownVectors() throws Exception {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.of(new byte[0]));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.of("abc"));
        assertEquals(Sha256.of("abc"), Sha256.of(new ByteArrayInputStream("abc".getBytes())));
    }

    @Test
    void streamFileAndBytesAgreeAcrossBlockBoundaries(@TempDir Path dir) throws Exception {
        Random random = new Random(7);
        for (int size : new int[]{0, 1, (1 << 16) - 1, 1 << 16, (1 << 16) + 1, 3 * (1 << 16) + 17}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            Path f = Files.write(dir.resolve("f" + size), data);
            String expected = Sha256.of(data);
            assertEquals(expected, Sha256.of(f), "file of " + size + " bytes");
            assertEquals(expected, Sha256.of(new ByteArrayInputStream(data)), "stream of " + size + " bytes");
        }
    }
}
