package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptResolution;

import java.util.List;
import java.util.Optional;

/**
 * The recognition link of the transcript chain: the pack's {@link SpeechTranscriber} listens to the decoded audio, and
 * the {@link TranscriptGate} decides whether its words become the text modality (a {@link Transcript} with source
 * {@code RECOGNISED}, word timings and the recogniser named) or the text is missing with the gate's reason. It owns
 * the transcriber and the voiced-time measure: {@link #close()} releases both.
 */
public final class RecognisedTranscripts implements HeardTranscripts, AutoCloseable {

    /**
     * Audio measured by the voice-activity detector at a time. Longer than any utterance, so an utterance is measured
     * whole (as {@code moodtag asr-eval} measured it when the gate was tuned); a long recording holds one such block.
     */
    static final double VOICED_BLOCK_SECONDS = 60;

    private final SpeechTranscriber transcriber;
    private final TranscriptGate gate;
    private final RecordingGate recordingGate;
    private final VoicedTime voicedTime;

    /** Without the recording-level check: each segment's verdict stands. */
    public RecognisedTranscripts(SpeechTranscriber transcriber, TranscriptGate gate, VoicedTime voicedTime) {
        this(transcriber, gate, RecordingGate.OFF, voicedTime);
    }

    /**
     * @param recordingGate judges a timeline's segments together once all were heard
     * @param voicedTime    how much of a stretch of audio is voiced, or null (the coverage test is then skipped)
     */
    public RecognisedTranscripts(SpeechTranscriber transcriber, TranscriptGate gate, RecordingGate recordingGate,
                                 VoicedTime voicedTime) {
        this.transcriber = transcriber;
        this.gate = gate;
        this.recordingGate = recordingGate;
        this.voicedTime = voicedTime;
    }

    @Override
    public boolean listens() {
        return true;
    }

    @Override
    public void prepare() {
        transcriber.prepare();
    }

    /**
     * The recording-level rule R1 is no part of it: it judges a timeline's segments together, and no cache holds what a
     * timeline heard, while training hears each row alone, where R1 cannot refuse anything (a lone segment the gate
     * accepted has all its words accepted). Adding it would encode every corpus again for nothing; should training ever
     * judge rows together, it belongs here ({@code RecognisedTrainingTranscriptTest} then fails until it is).
     */
    @Override
    public String identity() {
        return transcriber.engine() + " model " + transcriber.modelSha256() + " " + transcriber.language() + " gate "
                + gate.minMeanConfidence() + "/" + gate.minVoicedCoverage() + (voicedTime == null ? " no-vad" : " vad");
    }

    @Override
    public Optional<String> refuseRecording(List<TranscriptResolution> segments) {
        return recordingGate.refuse(segments, transcriber.language());
    }

    @Override
    public Listening listen(double offsetSeconds) {
        return listening(transcriber.begin(offsetSeconds));
    }

    /** One recogniser for all of a recording's segments (see {@link SpeechTranscriber#session()}). */
    @Override
    public Recording recording() {
        TranscriptionSession session = transcriber.session();
        return new Recording() {
            @Override
            public TranscriptResolution hear(AudioTrack track) {
                return Recording.hear(listening(session.begin(track.startSeconds())), track);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    private Listening listening(TranscriptionStream stream) {
        TranscribingSink sink = new TranscribingSink(stream, voicedTime, VOICED_BLOCK_SECONDS);
        return new Listening() {
            @Override
            public void accept(float[] samples) {
                sink.audio(new AudioTrack(samples));
            }

            @Override
            public TranscriptResolution finish() {
                return resolve(sink.finish());
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }

    /** The gate's verdict on what was heard, as the chain's answer. */
    TranscriptResolution resolve(RecognisedSpeech speech) {
        GateDecision decision = gate.decide(speech);
        int heard = speech.statistics().words();
        if (!decision.accepted()) return TranscriptResolution.missing(decision.reason()).heard(heard);
        return TranscriptResolution.of(Transcript.recognised(speech.text(),
                speech.words().stream().map(w -> new Transcript.Word(w.text(), w.startSeconds(), w.endSeconds(),
                        w.confidence())).toList(),
                new Transcript.Recogniser(speech.engine(), speech.modelSha256(), speech.language(),
                        speech.meanConfidence()))).heard(heard);
    }

    /** Releases the recogniser and the voiced-time measure. */
    @Override
    public void close() {
        try {
            transcriber.close();
        } finally {
            if (voicedTime != null) voicedTime.close();
        }
    }
}
