package dev.moodtag.encode.speech;

import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.media.Utterance;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackException;

import java.util.List;
import java.util.Optional;

/**
 * Acoustic functionals (see {@link AcousticFunctionals}) as an encoder: no model files, computed in Java.
 * Parameters: {@code vad} (default true), {@code minSpeechSeconds} (0.1), {@code minF0} / {@code maxF0} (55 / 600
 * Hz), {@code yinThreshold} (0.2).
 */
public final class AcousticFunctionalsEncoder implements Encoder {

    public static final String KIND = "acoustic-functionals";
    public static final List<String> FEATURE_NAMES = AcousticFunctionals.FEATURE_NAMES;

    private final EncoderInfo info;
    private final Optional<SpeechActivityDetector> vad;
    private final AcousticFunctionals functionals;
    private final double minSpeechSeconds;

    public AcousticFunctionalsEncoder(EncoderSpec spec, EncoderContext context) {
        if (spec.dim() != AcousticFunctionals.DIM) {
            throw new ModelPackException("encoder " + spec.id() + " (" + KIND + ") produces " + AcousticFunctionals.DIM
                    + " features, but the manifest says dim " + spec.dim());
        }
        AcousticFunctionalsParams params = EncoderParameters.bind(spec, AcousticFunctionalsParams.class);
        this.vad = SpeechInput.detectorFor(spec, context, params.vad());
        this.minSpeechSeconds = params.minSpeechSeconds();
        this.functionals = new AcousticFunctionals(params.minF0(), params.maxF0(), params.yinThreshold());
        this.info = EncoderInfo.of(spec);
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public EncoderOutput encode(Utterance utterance) {
        SpeechInput input = SpeechInput.of(utterance, vad, minSpeechSeconds);
        if (input instanceof SpeechInput.NoSpeech none) return EncoderOutput.missing(none.reason());
        SpeechInput.Speech speech = (SpeechInput.Speech) input;
        return EncoderOutput.of(functionals.compute(speech.track().samples(), speech.regions()));
    }
}
