package dev.moodtag.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 limits a key to 1,024 UTF-8 bytes, not characters. The function checks a result's key before tagging
 * ({@code confine}) so that an object whose result no store would take is answered at once, not after the whole
 * tagging and again on every run; counted in characters, a key of 2-byte characters passed that check (no S3 call here).
 */
class S3KeyLimitTest {

    private final S3ObjectStorage s3 = new S3ObjectStorage(List.of("media"), Optional.empty(), () -> {
        throw new AssertionError("no S3 call expected");
    });

    @Test
    void keysAreLimitedToS3s1024Utf8BytesNotCharacters() {
        String media = "\u00e9".repeat(505) + ".wav"; // 1,014 bytes in 509 characters: S3 takes it
        String result = media + ".emotion.json";     // 1,027 bytes in 522 characters: S3 refuses it (KeyTooLongError)
        assertEquals(1014, media.getBytes(StandardCharsets.UTF_8).length);
        assertDoesNotThrow(() -> s3.confine(ObjectRef.s3("media", media)));
        StorageException e = assertThrows(StorageException.class, () -> s3.confine(ObjectRef.s3("media", result)));
        assertEquals(StorageException.Kind.NOT_ALLOWED, e.kind(), e.getMessage());
        // the bound itself: 1,024 bytes is a key, 1,025 is none
        assertDoesNotThrow(() -> s3.confine(ObjectRef.s3("media", "\u00e9".repeat(512))));
        assertThrows(StorageException.class, () -> s3.confine(ObjectRef.s3("media", "a" + "\u00e9".repeat(512))));
        assertThrows(StorageException.class, () -> s3.confine(ObjectRef.s3("media", "\ud83d\ude00".repeat(257))));
    }

    /**
     * A key holding half a surrogate pair has no UTF-8 form: the SDK sent it as '?' (HEAD /media/a%3F.wav), so a
     * manifest or listing naming it reached another object. Refused before any call, naming where.
     */
    @Test
    void keysWithHalfASurrogatePairAreRefusedBeforeAnyCall() {
        for (String key : List.of("a\ud800.wav", "\udfff", "a/\ude00\ud83d.wav", "\ud83d")) {
            StorageException e = assertThrows(StorageException.class, () -> s3.confine(ObjectRef.s3("media", key)), key);
            assertEquals(StorageException.Kind.NOT_ALLOWED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
        }
        assertDoesNotThrow(() -> s3.confine(ObjectRef.s3("media", "a\ud83d\ude00.wav")));
    }
}
