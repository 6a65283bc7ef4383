package dev.moodtag.watch;

import dev.moodtag.function.FileTrees;
import dev.moodtag.media.HeardTranscripts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Starting to watch an inbox lets the speech recogniser warm up ahead, as the function's start-up does: files reach an
 * edge box apart, and the first one should not pay for a fresh recogniser. The pack's recogniser is replaced by one
 * that counts, since what is checked is that the watch mode asks, not what Vosk then does (RepeatableRecognitionTest).
 */
@QuarkusTest
@TestProfile(WatchPreparesRecognisersTest.Profile.class)
@Tag("quarkus")
class WatchPreparesRecognisersTest {

    static final Path WORK = Path.of("target", "watch-prepares").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.deleteQuietly(WORK);
            return Map.of("moodtag.onnx.device", "cpu", "moodtag.storage.local.roots", WORK.toString());
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(CountingHeardTranscripts.class);
        }
    }

    @Alternative // enabled by the profile only: a @Priority would enable it in every Quarkus test
    @ApplicationScoped
    public static class CountingHeardTranscripts implements HeardTranscripts {
        private final AtomicInteger prepared = new AtomicInteger();

        /** A method, not the field: the test holds a client proxy, whose own fields are not the bean's. */
        int prepared() {
            return prepared.get();
        }

        @Override
        public boolean listens() {
            return false;
        }

        @Override
        public void prepare() {
            prepared.incrementAndGet();
        }

        @Override
        public Listening listen(double offsetSeconds) {
            throw new IllegalStateException("not used");
        }
    }

    @Inject
    InboxWatchers watchers;

    @Inject
    CountingHeardTranscripts heard;

    @Test
    void creatingAWatcherWarmsTheRecogniserUpAhead() throws Exception {
        Path inbox = Files.createDirectories(WORK.resolve("inbox"));
        int before = heard.prepared(); // the HTTP function's start-up asks once too
        InboxWatcher watcher = watchers.create(inbox, Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(1));
        watcher.stop();
        assertEquals(before + 1, heard.prepared());
    }
}
