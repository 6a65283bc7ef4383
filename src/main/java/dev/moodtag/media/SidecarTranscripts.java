package dev.moodtag.media;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The sidecar link: an explicit transcript file, or the first {@code <basename>.txt/.vtt/.srt/.json} (the extension in
 * any case, {@link TranscriptLoader#sidecarNames}) beside the media. A sidecar that exists but cannot be used ends the chain with its reason: the text is missing, the object's
 * audio and video are still used, and no later link guesses over a transcript someone provided.
 */
public final class SidecarTranscripts implements TranscriptSource.Link {
    private final TranscriptLoader loader;

    public SidecarTranscripts(TranscriptLoader loader) {
        this.loader = loader;
    }

    @Override
    public Optional<TranscriptResolution> find(TranscriptRequest request) {
        Optional<Path> file = request.sidecar() != null ? Optional.of(request.sidecar())
                : request.media() == null ? Optional.empty() : TranscriptLoader.sidecarOf(request.media());
        return file.map(this::load);
    }

    private TranscriptResolution load(Path file) {
        try {
            return TranscriptResolution.of(loader.load(file));
        } catch (MediaException e) {
            return TranscriptResolution.missing("transcript not used: " + e.getMessage());
        }
    }

    @Override
    public String notFound(TranscriptRequest request) {
        if (request.media() == null) return "no transcript file";
        String name = MediaFileCheck.nameOf(request.media());
        return "no " + TranscriptLoader.baseName(name) + ".txt, .vtt, .srt or .json beside " + name;
    }
}
