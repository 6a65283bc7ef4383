package dev.moodtag.watch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The edge box's directory-watch mode ({@code moodtag watch}); the command's options override these. */
@ConfigMapping(prefix = "moodtag.watch")
public interface WatchConfig {

    /** The folder whose new media files are tagged. No default: {@code moodtag watch INBOX} or this key. */
    Optional<String> inbox();

    /** Where results go (same relative path as the media, plus the result suffix); default: beside the media. */
    Optional<String> outbox();

    /**
     * How long a file must keep the same size and modification time before it is read: a copy or recording still
     * being written is never tagged half-done.
     */
    @WithDefault("PT2S")
    Duration settle();

    /**
     * How long a file whose first try gave an {@code error} (truncated, corrupt) must stay unchanged before it is tried
     * again; only that second try's result is written. A writer that pauses longer than {@code settle} thus gets no
     * interim error result, unless it pauses longer than this too. Never shorter than {@code settle}.
     */
    @WithDefault("PT30S")
    Duration errorSettle();

    /**
     * Full rescans of the inbox, in addition to filesystem events (which some filesystems never deliver); at least
     * {@code PT1S}, since each walks the whole inbox.
     */
    @WithDefault("PT10S")
    Duration rescan();
}
