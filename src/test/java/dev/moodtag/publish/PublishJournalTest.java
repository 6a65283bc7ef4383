package dev.moodtag.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * Appended lines were flushed and never forced to the disk, not even when the publish ended: a power loss could take
     * lines the summary had reported. Close forces what is left (before the summary is printed), and while a publish
     * goes on the line that finds the last force a second old forces all since; the clock is the test's.
     */
    @Test
    void linesAreForcedAtCloseAndOnceASecondWhileAppending() throws Exception {
        Path log = tmp.resolve("new-folder").resolve("publish-log.jsonl");
        AtomicLong clock = new AtomicLong(-PublishJournal.FORCE_EVERY_NANOS / 2); // nanoTime may be negative
        PublishJournal journal = PublishJournal.open(log, clock::get);
        for (int i = 0; i < 5; i++) {
            journal.append(record(i));
            clock.addAndGet(PublishJournal.FORCE_EVERY_NANOS / 10);
        }
        assertEquals(5, journal.linesNotForced(), "flushed, not forced, within the second");
        clock.addAndGet(PublishJournal.FORCE_EVERY_NANOS / 2);
        journal.append(record(5));
        assertEquals(0, journal.linesNotForced(), "the line a second after the open forces all six");
        journal.append(record(6));
        assertEquals(1, journal.linesNotForced());
        journal.close();
        assertEquals(0, journal.linesNotForced(), "close forces the rest");
        journal.close(); // a second close does nothing
        assertEquals(7, Files.readAllLines(log).size());
        try (PublishJournal again = PublishJournal.open(log)) {
            assertTrue(again.acknowledged("moodtag-0") && again.acknowledged("moodtag-6"));
            assertEquals(0, again.linesNotForced(), "nothing appended");
        }
    }

    private static PublishRecord record(int i) {
        return new PublishRecord("file:///a/" + i + ".wav", "moodtag-" + i, PublishState.PUBLISHED, 202, 1, null, 0.01,
                "2026-01-01T00:00:00Z");
    }
}
