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
 * Parameters: see {@link AcousticFunctionalsParams}.
 */
public final class AcousticFunctionalsEncoder implements Encoder {

    public static final String KIND = "acoustic-functionals";
    /** The layout with every descriptor absolute; {@link AcousticFunctionals#featureNames} gives the others. */
    public static final List<String> FEATURE_NAMES = AcousticFunctionals.FEATURE_NAMES;

    private final EncoderInfo info;
    private final Optional<SpeechActivityDetector> vad;
    private final AcousticFunctionals functionals;
    private final double minSpeechSeconds;
    private final Optional<SpeechLevel> level;

    public AcousticFunctionalsEncoder(EncoderSpec spec, EncoderContext context) {
        AcousticFunctionalsParams params = EncoderParameters.bind(spec, AcousticFunctionalsParams.class);
        this.functionals = new AcousticFunctionals(params.minF0(), params.maxF0(), params.yinThreshold(),
                params.relative(), params.formants());
        if (spec.dim() != functionals.dim()) {
            throw new ModelPackException("encoder " + spec.id() + " (" + KIND + ") produces " + functionals.dim()
                    + " features" + (params.relative().isEmpty() ? "" : " with utteranceRelative " + params.utteranceRelative())
                    + (params.formants() ? (params.relative().isEmpty() ? " with" : " and") + " formants" : "")
                    + ", but the manifest says dim " + spec.dim());
        }
        this.vad = SpeechInput.detectorFor(spec, context, params.vad());
        this.minSpeechSeconds = params.minSpeechSeconds();
        this.level = params.level();
        this.info = EncoderInfo.of(spec);
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public EncoderOutput encode(Utterance utterance) {
        SpeechInput input = SpeechInput.of(utterance, vad, minSpeechSeconds, level);
        if (input instanceof SpeechInput.NoSpeech none) return EncoderOutput.missing(none.reason());
        SpeechInput.Speech speech = (SpeechInput.Speech) input;
        return EncoderOutput.of(functionals.compute(speech.track().samples(), speech.regions()));
    }
}
