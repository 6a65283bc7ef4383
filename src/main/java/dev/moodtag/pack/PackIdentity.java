package dev.moodtag.pack;

/**
 * What a result records of the model pack and classifier that made it, and what skip-if-done and {@code moodtag
 * status} compare with the configured pack: the pack's id and version from its manifest and the classifier's
 * description (its fusion mode and its file's sha256, or why the pack has none). Known without loading a model, so
 * that a command that only reads results (status, publish's skip) does not verify the pack, read the classifier's
 * support vectors or make the encoders' ONNX sessions.
 */
public record PackIdentity(String id, String version, String classifier) {

    /** The three as one string: event ids of the fan-out are derived from it, so a new pack makes new events. */
    public String joined() {
        return id + "\n" + version + "\n" + classifier;
    }
}
