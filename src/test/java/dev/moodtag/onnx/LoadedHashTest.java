package dev.moodtag.onnx;

import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelFile;
import dev.moodtag.support.Sha256;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The hash of what ONNX Runtime runs is recorded beside the hash of the file the pack verified. */
class LoadedHashTest {

    @Test
    void aRewrittenModelRecordsTheHashOfTheBytesThatRunAndAnUntouchedOneItsFileHash() {
        Fixtures.shared("models");
        EncoderSpec face = Fixtures.defaultPack().encoder("video-face-expression").orElseThrow();
        ModelFile detector = face.file("detector");      // UltraFace lists its weights as inputs: rewritten
        ModelFile expression = face.file("expression");  // not rewritten
        OnnxRuntime onnx = Fixtures.onnxCpu();
        try (LoadedSession d = onnx.open("d", detector); LoadedSession x = onnx.open("x", expression)) {
            byte[] runs = OnnxModels.withWeightsNotInputs(detector.readAllBytes()).model();
            assertEquals(Sha256.of(runs), d.loadedSha256());
            assertNotEquals(detector.sha256(), d.loadedSha256());
            assertEquals("detector", d.role());
            assertEquals(expression.sha256(), x.loadedSha256());

            EncoderInfo info = EncoderInfo.of(face, x, d);
            assertEquals(detector.sha256(), info.sha256().get("detector"), "the verified file hash is kept");
            assertEquals(Sha256.of(runs), info.loadedSha256().get("detector"));
            assertEquals(expression.sha256(), info.loadedSha256().get("expression"));
        }
    }
}
