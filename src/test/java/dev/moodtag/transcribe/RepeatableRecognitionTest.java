package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same audio gives exactly the same words, times and confidences, run after run and on a recogniser that decoded
 * other audio before: the gate compares a mean confidence with a threshold, so any run-to-run wobble can flip a
 * clip between a transcript and none (Kaldi's default dither measured 0.899-0.912 on one clip).
 */
class RepeatableRecognitionTest {
    private static final FfmpegMediaDecoder DECODER = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    private static AudioTrack audio(String sharedPath) {
        return DECODER.decode(Fixtures.shared(sharedPath)).audioTrack().orElseThrow();
    }

    private static List<String> exactly(RecognisedSpeech s) {
        return s.words().stream()
                .map(w -> w.text() + "@" + w.startSeconds() + "-" + w.endSeconds() + ":" + w.confidence())
                .toList();
    }

    @Test
    void freshRecognisersGiveIdenticalResultsRunAfterRun() {
        AudioTrack english = audio("data/ravdess/speech/Actor_05/03-01-05-01-01-01-05.flac");
        AudioTrack german = audio("data/emodb/wav/03a01Nc.wav");
        try (VoskTranscriber fresh = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 0)) {
            for (AudioTrack clip : List.of(english, german)) {
                RecognisedSpeech first = fresh.transcribe(clip);
                for (int run = 2; run <= 3; run++) {
                    assertEquals(exactly(first), exactly(fresh.transcribe(clip)), "run " + run);
                }
            }
        }
    }

    @Test
    void theDefaultPacksRecogniserGivesAClipTheSameResultWhateverItHeardBefore() {
        // a kept recogniser gave 03a01Nc "dial up only to optimize frank" after a stream that ended at an endpoint,
        // and "they'll up been leaked optimized frank" fresh (first written up under 08a02Fe's name): the default
        // pack keeps none
        List<AudioTrack> clips = List.of(
                audio("data/ravdess/speech/Actor_05/03-01-05-01-01-01-05.flac"),
                audio("data/emodb/wav/03a01Nc.wav"),
                audio("data/ravdess/speech/Actor_12/03-01-04-02-02-02-12.flac"),
                audio("data/emodb/wav/08a02Fe.wav"));
        try (VoskTranscriber fresh = VoskTranscriber.load(Fixtures.defaultPack().transcriber().orElseThrow(), 0);
             SpeechTranscriber served = SpeechTranscribers.load(Fixtures.defaultPack(), TestTranscribeConfig.defaults())
                     .orElseThrow()) {
            List<AudioTrack> reversed = new java.util.ArrayList<>(clips);
            java.util.Collections.reverse(reversed);
            for (List<AudioTrack> order : List.of(clips, reversed)) {
                for (AudioTrack clip : order) {
                    assertEquals(exactly(fresh.transcribe(clip)), exactly(served.transcribe(clip)));
                }
            }
        }
    }

    /**
     * A kept recogniser gives these clips exactly what a fresh one gives, in either order. Vosk 0.3.45 rebuilds its
     * feature pipeline (online CMVN, i-vector statistics) after a final result, but not when a stream's last audio
     * ended at an endpoint: then the final result is empty and the next stream continued the old pipeline (03a01Nc
     * became "dial up only to optimize frank" here). Not every clip is exact even so: on the 347 tuning clips of the
     * gate, 2 German ones kept their words and changed confidences (bench/README.md, Kept recognisers), which is why the
     * default pack keeps none.
     */
    @Test
    void aKeptRecogniserGivesTheseClipsWhatAFreshOneGives() {
        List<AudioTrack> clips = List.of(
                audio("data/ravdess/speech/Actor_10/03-01-06-02-01-01-10.flac"),
                audio("data/emodb/wav/08a02Fe.wav"),
                audio("data/ravdess/speech/Actor_13/03-01-04-01-01-01-13.flac"),
                audio("data/emodb/wav/03a01Nc.wav"),
                audio("data/ravdess/speech/Actor_14/03-01-06-02-01-01-14.flac"),
                audio("data/ravdess/speech/Actor_05/03-01-05-01-01-01-05.flac"));
        var spec = Fixtures.defaultPack().transcriber().orElseThrow();
        try (VoskTranscriber fresh = VoskTranscriber.load(spec, 0); VoskTranscriber kept = VoskTranscriber.load(spec, 1)) {
            List<List<String>> expected = clips.stream().map(c -> exactly(fresh.transcribe(c))).toList();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < clips.size(); i++) {
                    int at = round == 0 ? i : clips.size() - 1 - i;
                    assertEquals(expected.get(at), exactly(kept.transcribe(clips.get(at))), "clip " + at + ", round " + round);
                }
            }
            assertEquals(1, kept.recognisersCreated(), "one recogniser heard every clip");
        }
    }
}
