package dev.moodtag.encode.speech;

import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.encode.SpeechActivityDetectorFactory;
import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.EncoderSpec;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class SileroVadFactory implements SpeechActivityDetectorFactory {
    @Override
    public String kind() {
        return SileroVad.KIND;
    }

    @Override
    public SpeechActivityDetector create(EncoderSpec spec, OnnxRuntime onnx) {
        return new SileroVad(spec, onnx);
    }
}
