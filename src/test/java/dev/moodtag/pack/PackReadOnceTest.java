package dev.moodtag.pack;

import dev.moodtag.function.FileTrees;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tag reads the pack's identity (what its results record and skip-if-done compares) before it lists its inputs, and
 * verifies the pack when its models load: each read and bound the manifest for itself, about 25 ms of a start spent
 * twice, and a manifest replaced in between (a deploy, a sync) gave a run one pack's id and version and another pack's
 * models. Here the manifest is rewritten (a new version, then not JSON at all) once the identity was read: the
 * verified pack is still the reading the identity came from, so the manifest was read once. On main: the version the
 * pack was verified with was the rewritten one.
 */
@QuarkusTest
@TestProfile(PackReadOnceTest.Profile.class)
@Tag("quarkus")
class PackReadOnceTest {

    static final Path ROOT = Path.of("target", "pack-read-once").toAbsolutePath();
    static final Path MANIFEST = ROOT.resolve("pack.json");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                FileTrees.recreate(ROOT);
                Files.copy(Fixtures.DEFAULT_MANIFEST, MANIFEST);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Nothing served, so nothing loads the pack at start: the test asks for the identity first, as tag does.
            // The pack's files are found on the default search path.
            return Map.of("moodtag.pack.manifest", MANIFEST.toString(), "quarkus.http.host-enabled", "false",
                    "moodtag.onnx.device", "cpu", "moodtag.transcribe.enabled", "false");
        }
    }

    @Inject
    Instance<PackIdentity> identity;
    @Inject
    Instance<ModelPack> pack;
    @Inject
    Instance<LocatedPack> located;

    @Test
    void theVerifiedPackIsTheReadingTheIdentityCameFrom() throws IOException {
        String manifest = Files.readString(MANIFEST);
        PackIdentity read = identity.get();
        assertEquals("2026.11.0", read.version(), "the default pack as this test knows it");
        Files.writeString(MANIFEST, manifest.replace("\"version\": \"2026.11.0\"", "\"version\": \"2099.1.0\""));
        assertTrue(Files.readString(MANIFEST).contains("2099.1.0"));
        ModelPack verified = pack.get();
        Files.writeString(MANIFEST, "{ not JSON");
        assertEquals(read.id() + " " + read.version(), verified.id() + " " + verified.version(),
                "the pack verified is the one whose identity results record");
        assertSame(located.get().pack(), verified, "one reading of the manifest");
        assertEquals(read, identity.get());
    }
}
