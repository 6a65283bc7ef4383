package dev.moodtag.batch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code moodtag tag} on an archive of separate clips: whether their speech may be read over the batch. */
@ConfigMapping(prefix = "moodtag.batch")
public interface BatchConfig {

    /**
     * Whether a batch's single utterances may be labelled again with their speech standardised over the batch, when
     * the classifier has parts trained that way ({@code moodtag train --normalise speaker}): {@code off} (default:
     * each clip's label then depends on what else is in the batch, which a user must choose) or {@code auto} (when
     * the batch passes the guard below; {@code moodtag tag --speech-over-batch} asks for it on one run).
     */
    @WithDefault("off")
    SpeechOverBatch speechOverBatch();

    /** Fewest clips with speech, tagged in this run, a batch needs before its speech is standardised over it. */
    @WithDefault("10")
    int minClips();

    /**
     * Largest share of those clips that one per-utterance (first-pass) label may have: a batch held in one mood is
     * standardised towards the middle, as a recording is ({@code moodtag.timeline.recording-max-dominant-share}).
     */
    @WithDefault("0.65")
    double maxDominantShare();

    enum SpeechOverBatch { OFF, AUTO }
}
