package dev.moodtag.tagging;

import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What counts as another version of an object: its ETag where storage gives one, else its size and time. */
class ChangedWhileTaggedTest {

    private static final ObjectRef REF = ObjectRef.s3("media", "a.wav");

    private static ObjectInfo info(long size, String etag, long millis) {
        return new ObjectInfo(REF, size, Optional.ofNullable(etag), Optional.of(Instant.ofEpochMilli(millis)), Optional.empty());
    }

    @Test
    void theETagDecidesWhereBothHaveOne() {
        assertEquals(Optional.empty(), Recognizer.changedSince(info(10, "v1", 1), info(10, "v1", 2)),
                "the same ETag is the same bytes (a copy over itself changes the time only)");
        assertEquals(Optional.of("ETag v1 -> v2"), Recognizer.changedSince(info(10, "v1", 1), info(10, "v2", 1)));
    }

    @Test
    void withoutETagsSizeOrTimeDoes() {
        assertTrue(Recognizer.changedSince(info(10, null, 1), info(11, null, 1)).orElseThrow().startsWith("size 10 -> 11"));
        assertTrue(Recognizer.changedSince(info(10, null, 1), info(10, null, 2)).orElseThrow().startsWith("modified "));
        assertEquals(Optional.empty(), Recognizer.changedSince(info(10, null, 1), info(10, null, 1)));
    }

    private static ObjectInfo file(long size, long millis, String version) {
        return new ObjectInfo(REF, size, Optional.empty(),
                Optional.of(Instant.ofEpochMilli(millis)), Optional.empty(), Optional.empty(), Optional.ofNullable(version));
    }

    /** Other bytes of the same size with the time set back differ by file version; without one on either side, as before. */
    @Test
    void aLocalFilesVersionDecidesWhereSizeAndTimeAgree() {
        assertEquals(Optional.of("file version (inode:ctime) 5:100 -> 5:200"),
                Recognizer.changedSince(file(10, 1, "5:100"), file(10, 1, "5:200")));
        assertEquals(Optional.of("file version (inode:ctime) 5:100 -> 6:100"),
                Recognizer.changedSince(file(10, 1, "5:100"), file(10, 1, "6:100")), "renamed over: another inode");
        assertEquals(Optional.empty(), Recognizer.changedSince(file(10, 1, "5:100"), file(10, 1, "5:100")));
        assertEquals(Optional.empty(), Recognizer.changedSince(file(10, 1, null), file(10, 1, "5:100")),
                "a result written before file versions were recorded: size and time decide");
        assertEquals(Optional.empty(), Recognizer.changedSince(file(10, 1, "5:100"), file(10, 1, null)),
                "a file system that gives none now: size and time decide");
        assertTrue(Recognizer.changedSince(file(10, 1, "5:100"), file(11, 1, "5:100")).orElseThrow().startsWith("size "));
    }
}
