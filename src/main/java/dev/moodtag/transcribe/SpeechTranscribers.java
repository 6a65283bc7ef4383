package dev.moodtag.transcribe;

import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.EncoderParameters;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.pack.ModelPackException;

import java.util.Locale;
import java.util.Optional;

/** Builds the pack's speech-to-text engine, if the pack has one and {@code moodtag.transcribe.enabled} is on. */
public final class SpeechTranscribers {
    private SpeechTranscribers() {
    }

    /**
     * The recogniser for the pack's {@code transcriber} entry; empty when the pack has none or it is turned off. The
     * caller owns (and closes) it; load it once, beside the other models.
     *
     * @throws ModelPackException when the entry is of an unknown kind, for another language than configured, or its
     *                            model cannot be loaded
     */
    public static Optional<SpeechTranscriber> load(ModelPack pack, TranscribeConfig config) {
        if (!config.enabled() || pack.transcriber().isEmpty()) return Optional.empty();
        EncoderSpec spec = pack.transcriber().get();
        if (!VoskTranscriber.KIND.equals(spec.kind())) {
            throw new ModelPackException(pack.manifest() + ", transcriber " + spec.id() + ": kind '" + spec.kind()
                    + "' is not known; this moodtag runs '" + VoskTranscriber.KIND + "'");
        }
        String language = EncoderParameters.bind(spec, VoskParams.class).language();
        if (!language.toLowerCase(Locale.ROOT).equals(config.language().toLowerCase(Locale.ROOT))) {
            throw new ModelPackException(pack.manifest() + ", transcriber " + spec.id() + ": the model is for language '"
                    + language + "' but moodtag.transcribe.language is '" + config.language() + "'; use a pack with a "
                    + config.language() + " model, or set moodtag.transcribe.enabled=false");
        }
        return Optional.of(VoskTranscriber.load(spec, config.warmUp()));
    }
}
