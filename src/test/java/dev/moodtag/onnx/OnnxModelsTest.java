package dev.moodtag.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class OnnxModelsTest {

    /**
     * UltraFace lists its 244 weights among its inputs. Without them the model has its one real input and computes
     * the same boxes and scores (to float rounding: ONNX Runtime now folds batch normalisation into the convolutions).
     */
    @Test
    void weightsListedAsInputsBecomeConstantsAndTheOutputsStayTheSame() throws Exception {
        byte[] shipped = Files.readAllBytes(Fixtures.MODELS.resolve("face/version-RFB-320.onnx"));
        OnnxModels.Rewritten rewritten = OnnxModels.withWeightsNotInputs(shipped);
        assertEquals(244, rewritten.droppedInputs());

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] image = new float[3 * 240 * 320];
        Random random = new Random(7);
        for (int i = 0; i < image.length; i++) image[i] = random.nextFloat() * 2 - 1;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession before = env.createSession(shipped, opts);
             OrtSession after = env.createSession(rewritten.model(), opts);
             OnnxTensor input = Tensors.floats(env, image, 1, 3, 240, 320)) {
            assertEquals(Set.of("input"), after.getInputNames());
            try (OrtSession.Result a = before.run(Map.of("input", input));
                 OrtSession.Result b = after.run(Map.of("input", input))) {
                for (String out : Set.of("scores", "boxes")) {
                    float[] x = Tensors.output(a, out).data(), y = Tensors.output(b, out).data();
                    assertEquals(x.length, y.length);
                    assertArrayEquals(x, y, 1e-5f, out);
                }
            }
        }
    }

    @Test
    void aModelWithoutSuchInputsAndBytesThatAreNotAModelAreLeftAlone() throws Exception {
        byte[] expression = Files.readAllBytes(Fixtures.MODELS.resolve("face/face_expression.onnx"));
        assertSame(expression, OnnxModels.withWeightsNotInputs(expression).model());
        byte[] junk = "not a model at all".getBytes();
        assertSame(junk, OnnxModels.withWeightsNotInputs(junk).model());
    }
}
