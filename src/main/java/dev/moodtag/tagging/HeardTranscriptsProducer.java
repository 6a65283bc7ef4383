package dev.moodtag.tagging;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.encode.speech.SpeechRegions;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.onnx.OnnxRuntime;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.support.CloseOnFailure;
import dev.moodtag.transcribe.RecognisedTranscripts;
import dev.moodtag.transcribe.RecordingGate;
import dev.moodtag.transcribe.SpeechTranscriber;
import dev.moodtag.transcribe.SpeechTranscribers;
import dev.moodtag.transcribe.TranscribeConfig;
import dev.moodtag.transcribe.TranscriptGate;
import dev.moodtag.transcribe.VoicedTime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The last link of the transcript chain, the pack's speech recogniser, loaded once per process beside the other models
 * (the function's start-up loads it with them) and closed at shutdown. It is wired here, where the stages meet, so that
 * media knows only {@link HeardTranscripts} and the recogniser's voiced-time measure (the pack's voice-activity
 * detector) does not make the transcribe package depend on the encoders. Application-scoped: the recogniser loads on
 * first use, so commands that never need it (or find every transcript) never pay for it.
 */
@ApplicationScoped
public class HeardTranscriptsProducer {

    private static final Logger LOG = Logger.getLogger(HeardTranscriptsProducer.class);

    @Produces
    @ApplicationScoped
    HeardTranscripts heardTranscripts(ModelPack pack, TranscribeConfig config, OnnxRuntime onnx, EncoderKinds kinds) {
        long t0 = System.nanoTime();
        Optional<SpeechTranscriber> loaded = SpeechTranscribers.load(pack, config);
        if (loaded.isEmpty()) {
            LOG.infof("speech-to-text off: %s", config.enabled() ? "the model pack has no transcriber"
                    : "moodtag.transcribe.enabled=false");
            return HeardTranscripts.NONE;
        }
        try (CloseOnFailure opened = new CloseOnFailure()) {
            SpeechTranscriber transcriber = opened.add(loaded.get());
            // The gate's voiced-coverage test was tuned with the pack's VAD measuring voiced time; without one it is skipped.
            Optional<SpeechActivityDetector> vad = pack.vad().map(spec -> opened.add(
                    kinds.detector(spec).create(spec, new EncoderContext(onnx, Optional.empty()))));
            RecognisedTranscripts link = new RecognisedTranscripts(transcriber, TranscriptGate.fromConfig(config),
                    RecordingGate.fromConfig(config),
                    vad.map(HeardTranscriptsProducer::voicedTime).orElse(null));
            opened.succeeded();
            LOG.infof("speech-to-text %s (model %s, %s) loaded in %.0f ms", transcriber.engine(),
                    transcriber.modelSha256().substring(0, 12), transcriber.language(), (System.nanoTime() - t0) / 1e6);
            return link;
        }
    }

    void close(@Disposes HeardTranscripts heard) {
        if (heard instanceof RecognisedTranscripts link) link.close();
    }

    /** The voiced time the gate divides by, as the pack's VAD hears it; closing it closes the VAD. */
    public static VoicedTime voicedTime(SpeechActivityDetector vad) {
        return new VoicedTime() {
            @Override
            public double seconds(AudioTrack track) {
                return SpeechRegions.seconds(vad.speechRegions(track));
            }

            @Override
            public void close() {
                vad.close();
            }
        };
    }
}
