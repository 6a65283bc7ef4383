package dev.moodtag.encode;

import dev.moodtag.encode.speech.AcousticFunctionalsEncoder;
import dev.moodtag.encode.speech.AcousticFunctionalsParams;
import dev.moodtag.encode.speech.MelEmbeddingParams;
import dev.moodtag.encode.speech.MelEmbeddingSpeechEncoder;
import dev.moodtag.encode.speech.SileroVad;
import dev.moodtag.encode.speech.SileroVadParams;
import dev.moodtag.encode.speech.Wav2Vec2Params;
import dev.moodtag.encode.speech.Wav2Vec2SpeechEncoder;
import dev.moodtag.encode.text.BertTextEncoder;
import dev.moodtag.encode.text.BertTextParams;
import dev.moodtag.encode.video.FaceExpressionEncoder;
import dev.moodtag.encode.video.FaceExpressionParams;
import dev.moodtag.encode.video.VideoMaeEncoder;
import dev.moodtag.encode.video.VideoMaeParams;
import dev.moodtag.pack.EncoderKindCatalogue;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.ModelPackException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of encoder kinds: adding a kind is one line here (name, parameter record, constructor). The pack
 * loader asks it which kinds exist and binds each entry's parameters at load; the engine builds from it.
 */
@ApplicationScoped
public class EncoderKinds implements EncoderKindCatalogue {

    /** What this build implements. */
    public static final EncoderKinds BUILT_IN = new EncoderKinds(List.of(
            new EncoderKind<>(BertTextEncoder.KIND, BertTextParams.class, BertTextEncoder::new),
            new EncoderKind<>(MelEmbeddingSpeechEncoder.KIND, MelEmbeddingParams.class, MelEmbeddingSpeechEncoder::new),
            new EncoderKind<>(AcousticFunctionalsEncoder.KIND, AcousticFunctionalsParams.class, AcousticFunctionalsEncoder::new),
            new EncoderKind<>(Wav2Vec2SpeechEncoder.KIND, Wav2Vec2Params.class, Wav2Vec2SpeechEncoder::new),
            new EncoderKind<>(FaceExpressionEncoder.KIND, FaceExpressionParams.class, FaceExpressionEncoder::new),
            new EncoderKind<>(FaceExpressionEncoder.GREY_KIND, FaceExpressionParams.class, FaceExpressionEncoder::grey),
            new EncoderKind<>(VideoMaeEncoder.KIND, VideoMaeParams.class, VideoMaeEncoder::new)),
            List.of(new EncoderKind<>(SileroVad.KIND, SileroVadParams.class, (spec, context) -> new SileroVad(spec, context.onnx()))));

    private final Map<String, EncoderKind<Encoder>> encoders = new LinkedHashMap<>();
    private final Map<String, EncoderKind<SpeechActivityDetector>> detectors = new LinkedHashMap<>();

    /** The CDI bean: the built-in kinds. */
    public EncoderKinds() {
        this(BUILT_IN.encoders.values().stream().toList(), BUILT_IN.detectors.values().stream().toList());
    }

    /** A registry of these kinds only (tools and tests that build part of a pack). */
    public EncoderKinds(List<EncoderKind<Encoder>> encoders, List<EncoderKind<SpeechActivityDetector>> detectors) {
        for (EncoderKind<Encoder> k : encoders)
            if (this.encoders.putIfAbsent(k.name(), k) != null) throw new IllegalStateException("kind " + k.name() + " registered twice");
        for (EncoderKind<SpeechActivityDetector> k : detectors)
            if (this.detectors.putIfAbsent(k.name(), k) != null) throw new IllegalStateException("kind " + k.name() + " registered twice");
    }

    /** @throws ModelPackException when this build has no such kind */
    public EncoderKind<Encoder> encoder(EncoderSpec spec) {
        EncoderKind<Encoder> k = encoders.get(spec.kind());
        if (k == null) throw EncoderParameters.unknownKind(spec, encoderKinds());
        return k;
    }

    /** @throws ModelPackException when this build has no such kind */
    public EncoderKind<SpeechActivityDetector> detector(EncoderSpec spec) {
        EncoderKind<SpeechActivityDetector> k = detectors.get(spec.kind());
        if (k == null) throw EncoderParameters.unknownKind(spec, detectorKinds());
        return k;
    }

    @Override
    public Optional<Class<?>> encoderParameters(String kind) {
        return Optional.ofNullable(encoders.get(kind)).map(EncoderKind::parameters);
    }

    @Override
    public Optional<Class<?>> detectorParameters(String kind) {
        return Optional.ofNullable(detectors.get(kind)).map(EncoderKind::parameters);
    }

    @Override
    public List<String> encoderKinds() {
        return List.copyOf(encoders.keySet());
    }

    @Override
    public List<String> detectorKinds() {
        return List.copyOf(detectors.keySet());
    }
}
