package dev.moodtag.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the publish log of earlier runs, whatever state a kill or a full disk left it in. */
class PublishJournalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String line(String object, String id, PublishState state) throws Exception {
        return JSON.writeValueAsString(new PublishRecord(object, id, state, 202, 1, null, 0.01, "2026-01-01T00:00:00Z")) + "\n";
    }

    /**
     * A line cut inside a character (a full disk, a kill in the middle of a write) made the whole log unreadable:
     * reading it as UTF-8 threw, and every later publish failed at once. The cut line is passed over now.
     */
    @Test
    void aLineCutInsideACharacterLosesOnlyThatLine() throws Exception {
        Path log = tmp.resolve("publish-log.jsonl");
        byte[] cut = line("file:///a/caf\u00e9.wav", "moodtag-2", PublishState.PUBLISHED).getBytes(StandardCharsets.UTF_8);
        int e = new String(cut, StandardCharsets.ISO_8859_1).indexOf("caf") + 3; // first byte of the two of "é"
        try (OutputStream out = Files.newOutputStream(log)) {
            out.write(line("file:///a/b.wav", "moodtag-1", PublishState.PUBLISHED).getBytes(StandardCharsets.UTF_8));
            out.write(Arrays.copyOf(cut, e + 1));
        }
        try (PublishJournal journal = PublishJournal.open(log)) {
            assertTrue(journal.acknowledged("moodtag-1"));
            assertFalse(journal.acknowledged("moodtag-2"));
        }
    }

    /** Lines that are no record (garbage, a huge line without a break, other states) acknowledge nothing. */
    @Test
    void onlyPublishedRecordsCountAndAHugeLineIsPassedOver() throws Exception {
        Path log = tmp.resolve("publish-log.jsonl");
        try (OutputStream out = Files.newOutputStream(log)) {
            out.write(line("file:///a/1.wav", "moodtag-1", PublishState.PUBLISHED).getBytes(StandardCharsets.UTF_8));
            out.write(line("file:///a/2.wav", "moodtag-2", PublishState.FAILED).getBytes(StandardCharsets.UTF_8));
            out.write(line("file:///a/3.wav", null, PublishState.SKIPPED).getBytes(StandardCharsets.UTF_8));
            String huge = line("file:///a/" + "x".repeat(PublishJournal.MAX_LINE_CHARS) + ".wav", "moodtag-4", PublishState.PUBLISHED);
            out.write(huge.getBytes(StandardCharsets.UTF_8));
            out.write("\u0000\u00ff not json\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(line("file:///a/5.wav", "moodtag-5", PublishState.PUBLISHED).trim().getBytes(StandardCharsets.UTF_8));
        }
        try (PublishJournal journal = PublishJournal.open(log)) {
            assertTrue(journal.acknowledged("moodtag-1"));
            assertFalse(journal.acknowledged("moodtag-2"));
            assertFalse(journal.acknowledged(""));
            assertFalse(journal.acknowledged("moodtag-4"), "a line longer than any record is no record");
            assertTrue(journal.acknowledged("moodtag-5"), "the last line, without its line break");
        }
    }
}
