package dev.moodtag.media;

/**
 * What a media file holds, known once its header has been read and before any decoding.
 *
 * @param source           the file name, for logs and messages
 * @param container        FFmpeg's name for the container (e.g. "mov,mp4,m4a,3gp,3g2,mj2", "wav", "image2")
 * @param declaredSeconds  the length the container declares, from the start of the media, or 0 when it declares none
 * @param hasAudio         whether there is an audio stream to decode
 * @param sourceSampleRate the audio stream's own rate (audio is always delivered at 16 kHz)
 * @param sourceChannels   the audio stream's own channel count (audio is always delivered mono)
 * @param hasVideo         whether there is a video stream (cover art attached to audio does not count)
 * @param stillImage       whether the video is a single picture (jpg, png, ...)
 * @param sourceWidth      the picture's own width, 0 without video
 * @param sourceHeight     the picture's own height, 0 without video
 * @param sourceFps        the video stream's own frame rate, 0 when unknown or a still image
 * @param frameWidth       the width frames are delivered at (scaled down to the configured maximum side)
 * @param frameHeight      the height frames are delivered at
 * @param sampledFps       the rate frames are sampled at, 0 for a still image
 */
public record StreamInfo(String source, String container, double declaredSeconds,
                         boolean hasAudio, int sourceSampleRate, int sourceChannels,
                         boolean hasVideo, boolean stillImage, int sourceWidth, int sourceHeight, double sourceFps,
                         int frameWidth, int frameHeight, double sampledFps) {
    /** The same streams, declaring {@code seconds}. */
    StreamInfo withDeclaredSeconds(double seconds) {
        return new StreamInfo(source, container, seconds, hasAudio, sourceSampleRate, sourceChannels, hasVideo, stillImage,
                sourceWidth, sourceHeight, sourceFps, frameWidth, frameHeight, sampledFps);
    }
}
