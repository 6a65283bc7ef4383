package dev.moodtag.transcribe;

import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The transcriber's place in the model pack: listed, verified file by file, refused when corrupt or misplaced. */
class TranscriberPackTest {
    static final String MODEL = "asr/vosk-model-en-us-0.3.45";
    static final Path BUILT = Fixtures.BUILT_MODELS.resolve(MODEL);
    static List<String> files;

    @BeforeAll
    static void listModelFiles() throws IOException {
        Fixtures.shared("models");
        assertTrue(Files.isDirectory(BUILT), BUILT + " is missing: the build (generate-resources) unpacks it");
        try (Stream<Path> walk = Files.walk(BUILT)) {
            files = walk.filter(Files::isRegularFile).map(p -> BUILT.relativize(p).toString())
                    .filter(f -> !f.equals("README")).sorted().toList();
        }
        assertEquals(15, files.size(), files::toString);
    }

    @Test
    void defaultPackHasTheVerifiedEnglishRecogniser() {
        ModelPack pack = Fixtures.defaultPack();
        var spec = pack.transcriber().orElseThrow();
        assertEquals("asr-vosk-en-us", spec.id());
        assertEquals("vosk", spec.kind());
        assertEquals("en", spec.param("language", ""));
        assertTrue(spec.licence().startsWith("Apache-2.0"), spec.licence());
        assertEquals(files.stream().map(f -> MODEL + "/" + f).sorted().toList(),
                spec.files().values().stream().map(f -> f.location()).sorted().toList(), "every model file is listed");
        assertEquals(BUILT.toAbsolutePath().normalize(), VoskTranscriber.modelDir(spec));
    }

    /** Each model file, emptied or replaced by garbage (alternately), refuses the pack with the file's name. */
    @Test
    void aCorruptModelFileRefusesToStartNamingIt(@TempDir Path tmp) throws IOException {
        for (int i = 0; i < files.size(); i++) {
            String corrupt = files.get(i);
            byte[] content = i % 2 == 0 ? new byte[0] : "garbage\n".repeat(128).getBytes();
            Path manifest = packWithModel(tmp.resolve("p" + i), f -> f.equals(corrupt) ? content : null);
            ModelPackException e = assertThrows(ModelPackException.class, () -> load(manifest, Set.of()),
                    "corrupt " + corrupt);
            // A length other than the manifest's is said before any hashing; the same length, by the checksum
            String m = e.getMessage();
            assertTrue(m.contains("encoder asr-vosk-en-us: checksum mismatch for " + MODEL + "/" + corrupt)
                    || m.contains("encoder asr-vosk-en-us, file " + MODEL + "/" + corrupt + " (") && m.contains(" bytes, the manifest says "),
                    m);
        }
    }

    @Test
    void oneFlippedByteIsEnough(@TempDir Path tmp) throws IOException {
        byte[] conf = Files.readAllBytes(BUILT.resolve("conf/model.conf"));
        conf[conf.length / 2] ^= 1;
        Path manifest = packWithModel(tmp, f -> f.equals("conf/model.conf") ? conf : null);
        ModelPackException e = assertThrows(ModelPackException.class, () -> load(manifest, Set.of()));
        assertTrue(e.getMessage().contains("checksum mismatch for " + MODEL + "/conf/model.conf"), e.getMessage());
    }

    @Test
    void aMissingModelFileIsNamedWithWhereItWasLookedFor(@TempDir Path tmp) throws IOException {
        Path manifest = packWithModel(tmp, f -> null);
        Files.delete(tmp.resolve(MODEL).resolve("graph/HCLr.fst"));
        // The shared models and the build's text model on the search path, but not the build's copy of the
        // recogniser, which would stand in for the deleted file
        Path textOnly = Files.createDirectories(tmp.resolve("text-only"));
        Files.createSymbolicLink(textOnly.resolve("text"), Fixtures.BUILT_MODELS.resolve("text").toAbsolutePath());
        ModelPackException e = assertThrows(ModelPackException.class,
                () -> new ModelPackLoader(List.of(Fixtures.MODELS, textOnly), true, Map.of(), Set.of()).load(manifest));
        assertTrue(e.getMessage().contains("model file " + MODEL + "/graph/HCLr.fst is missing"), e.getMessage());
    }

    @Test
    void aModelSplitOverTwoFoldersIsRefused(@TempDir Path tmp) throws IOException {
        Path manifest = packWithModel(tmp, f -> null);
        Files.delete(tmp.resolve(MODEL).resolve("graph/HCLr.fst")); // found in target/models instead
        ModelPack pack = load(manifest, Set.of());
        ModelPackException e = assertThrows(ModelPackException.class,
                () -> SpeechTranscribers.load(pack, TestTranscribeConfig.defaults()));
        assertTrue(e.getMessage().contains("found in two folders"), e.getMessage());
    }

    @Test
    void disabledOrTurnedOffMeansNoRecogniserAndNoVerification(@TempDir Path tmp) throws IOException {
        Path manifest = packWithModel(tmp, f -> f.equals("am/final.mdl") ? new byte[0] : null);
        ModelPack withoutAsr = load(manifest, Set.of("asr-vosk-en-us"));
        assertTrue(withoutAsr.transcriber().isEmpty());

        ModelPack pack = Fixtures.defaultPack();
        assertTrue(SpeechTranscribers.load(pack, new TestTranscribeConfig(false, "en", 0.88, 0.3, WarmUp.PACK)).isEmpty());
    }

    @Test
    void aModelForAnotherLanguageOrOfAnUnknownKindIsRefused(@TempDir Path tmp) throws IOException {
        ModelPack pack = Fixtures.defaultPack();
        ModelPackException language = assertThrows(ModelPackException.class,
                () -> SpeechTranscribers.load(pack, new TestTranscribeConfig(true, "de", 0.88, 0.3, WarmUp.PACK)));
        assertTrue(language.getMessage().contains("the model is for language 'en' but moodtag.transcribe.language is 'de'"),
                language.getMessage());

        Path manifest = packWithModel(tmp, f -> null);
        Files.writeString(manifest, Files.readString(manifest).replace("\"kind\": \"vosk\"", "\"kind\": \"whisper\""));
        ModelPackException kind = assertThrows(ModelPackException.class,
                () -> SpeechTranscribers.load(load(manifest, Set.of()), TestTranscribeConfig.defaults()));
        assertTrue(kind.getMessage().contains("kind 'whisper' is not known"), kind.getMessage());
    }

    interface Replacement {
        byte[] of(String file);
    }

    /** The default manifest in {@code dir}, with the model beside it: links to the built files, or replaced content. */
    static Path packWithModel(Path dir, Replacement replace) throws IOException {
        Path model = dir.resolve(MODEL);
        for (String f : files) {
            Path target = model.resolve(f);
            Files.createDirectories(target.getParent());
            byte[] content = replace.of(f);
            if (content != null) Files.write(target, content);
            else Files.createSymbolicLink(target, BUILT.resolve(f).toAbsolutePath());
        }
        Path manifest = dir.resolve("pack.json");
        Files.copy(Fixtures.DEFAULT_MANIFEST, manifest);
        return manifest;
    }

    static ModelPack load(Path manifest, Set<String> disabled) {
        List<Path> search = new ArrayList<>(Fixtures.SEARCH_PATH);
        return new ModelPackLoader(search, true, Map.of(), disabled).load(manifest);
    }
}
