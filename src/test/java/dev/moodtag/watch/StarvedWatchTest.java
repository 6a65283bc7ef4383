package dev.moodtag.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.function.FileTrees;
import dev.moodtag.function.PacedDecoder;
import dev.moodtag.media.HostileMedia;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watch mode and a starved object (its decoding thread kept waiting past the time budget's cap, as on a machine
 * loaded far beyond its cores): the file is tried again with the watcher's backoff, no result (error or other) is
 * written for it meanwhile, and once the load is gone it is tagged, as the function and the batch answer it.
 */
@QuarkusTest
@TestProfile(StarvedWatchTest.Profile.class)
@Tag("quarkus")
class StarvedWatchTest {

    static final Path WORK = Path.of("target", "starved-watch").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.deleteQuietly(WORK);
            return PacedDecoder.settings(WORK);
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(PacedDecoder.class);
        }
    }

    @Inject
    InboxWatchers watchers;

    private InboxWatcher watcher;
    private Thread thread;

    @AfterEach
    void stop() throws InterruptedException {
        PacedDecoder.pace = PacedDecoder.Pace.NONE;
        if (watcher != null) watcher.stop();
        if (thread != null) thread.join(30_000);
    }

    @Test
    void aStarvedFileIsTriedAgainWithNothingWrittenAndTaggedOnceTheLoadIsGone() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox"));
        watcher = watchers.create(inbox, Optional.empty(), WatchModeTest.SETTLE, WatchModeTest.ERROR_SETTLE,
                WatchModeTest.RESCAN);
        thread = new Thread(watcher, "inbox-watcher");
        thread.start();
        // the first tagging in the JVM (compiling its code, first runs of the models) is no object's own work
        copy("warm.mp4", inbox);
        WatchModeTest.awaitResult(inbox.resolve("warm.mp4.emotion.json"));
        assertEquals(1, watcher.handled());

        PacedDecoder.pace = PacedDecoder.Pace.WAITING;
        copy("starved.mp4", inbox);
        Path result = inbox.resolve("starved.mp4.emotion.json");
        long deadline = System.currentTimeMillis() + WatchModeTest.TIMEOUT_MS;
        while (watcher.retried() < 1) {
            assertTrue(System.currentTimeMillis() < deadline, "not tried again after " + WatchModeTest.TIMEOUT_MS + " ms");
            Thread.sleep(50);
        }
        assertFalse(Files.exists(result), "no result for an object the machine's load stopped");
        assertEquals(1, watcher.handled(), "not handled: neither tagged nor failed for good");
        assertEquals(List.of(), HostileMedia.threadsStillDecoding(), "no thread decodes on after the try");

        PacedDecoder.pace = PacedDecoder.Pace.NONE;
        JsonNode tagged = WatchModeTest.awaitResult(result);
        assertNotEquals("error", tagged.get("status").asText(), tagged.toPrettyString());
        assertEquals(2, watcher.handled());
        assertTrue(watcher.retried() >= 1);
    }

    private static void copy(String name, Path dir) throws Exception {
        // copied under a hidden name and renamed, as a careful uploader does; the watcher ignores hidden files
        Path tmp = Files.copy(Fixtures.sample("01-01-01-01-01-01-01.mp4"), dir.resolve("." + name + ".tmp"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
