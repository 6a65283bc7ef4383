package dev.moodtag.tagging;

import dev.moodtag.encode.SpeechActivityDetector;
import dev.moodtag.encode.SpeechActivityDetector.Region;
import dev.moodtag.encode.speech.SpeechInput;
import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.HeardTranscripts;
import dev.moodtag.media.MediaSink;
import dev.moodtag.media.Modality;
import dev.moodtag.media.StreamInfo;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.media.VideoTrack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Cuts a streamed recording into segments and hands each one over as an {@link Utterance} as soon as it is complete.
 * It holds only the audio and frames not yet handed over: at most a voice-activity block plus one segment (plus a
 * few seconds by which video may lag audio in the file), so memory does not grow with the recording's length.
 *
 * <p>Video frames are thinned to {@link TimelineConfig#videoFps()} here; they arrive interleaved with the audio, so a
 * segment is handed over only when both streams have passed its end (or the video lags by more than
 * {@link #MAX_VIDEO_LAG} seconds, for a picture shorter than its sound).
 */
final class SegmentingSink implements MediaSink, AutoCloseable {

    /** How segments are found. */
    enum Method {
        VAD, FIXED, TRANSCRIPT;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One segment, ready to encode.
     *
     * @param textMissing why this segment in particular has no text (the gate refused its words, nothing was recognised
     *                    in its audio, no cue covers it, its cue's text went with the cue's first piece); null when it
     *                    has text, or when no segment could have any (no transcript and no recogniser, or an unusable
     *                    transcript): that reason is the recording's, and said once there rather than in every segment
     * @param heard       what the recogniser made of this segment's audio, kept or refused by the gate, for the
     *                    recording's verdict on all its segments ({@link HeardTranscripts#refuseRecording}); null when
     *                    its audio was not recognised
     */
    record Segment(double startSeconds, double endSeconds, Utterance utterance, String textMissing,
                   TranscriptResolution heard) {
    }

    static final double MAX_VIDEO_LAG = 5;
    /**
     * Video this far past the audio means the audio has ended (or never starts): the video goes on without it rather
     * than being held until the end. Demuxers interleave streams within a second or two; a stream that really does
     * lag this far loses its picture or its sound where the two do not meet, not the memory bound.
     */
    static final double MAX_AUDIO_LAG = 30;
    /** A speech region ending this close to the buffered audio's end may go on in the next block. */
    private static final double OPEN_MARGIN = 0.3;

    private final String source;
    private final TimelineConfig config;
    private final Method method;
    private final SpeechActivityDetector vad;
    private final List<Transcript.Segment> cues;
    /**
     * Cues of no length (start = end: auto-generated subtitles and word timings write them), by time. An instant has
     * no span to be a segment or to be over most of a window, so its words go to the first segment handed over that
     * ends at or after it: that is the earliest segment whose span (its end included) holds it, as segments are handed
     * over in the order they start, or, where none holds it (in a pause between voiced segments or cues), the next
     * segment after it, since an instant marks where words begin and they go with what follows. An instant after the
     * last segment's end is in none, and the recording's transcript says so ({@link #cuesInNoSegment}). Each
     * instant's words go to one segment, so it votes once, as a long cue does with its first piece.
     */
    private final List<Transcript.Segment> instants;
    /** The first instant whose words no segment has taken yet: every one before it went to a segment. */
    private int nextInstant;
    /** The whole transcript, whose provenance each segment's text keeps; null when there is none. */
    private final Transcript transcript;
    /** Why a segment has no text when there are no cues. */
    private final String whyNoCues;
    /** Recognises each segment's own audio when the recording has no transcript; NONE otherwise. */
    private final HeardTranscripts heard;
    /** The transcript's bounds, which a segment's text (its cues joined) keeps too. */
    private final TranscriptLimits limits;
    /**
     * The recording's segments heard in order by one recogniser, opened at the first segment to recognise: a fresh
     * recogniser per segment spent most of a short segment expanding its decoding graph.
     */
    private HeardTranscripts.Recording recording;
    private final Consumer<Segment> emit;

    private StreamInfo info;
    private float[] audio = new float[AudioTrack.RATE * 8];
    private int audioCount;
    /** Time of {@code audio[0]} in the recording. */
    private double audioStart;
    private double audioEnd;
    private final ArrayDeque<VideoFrame> frames = new ArrayDeque<>();
    private double videoEnd;
    private double lastFrameKept = Double.NEGATIVE_INFINITY;
    /** Fixed windows: start of the next window. Transcript: the next cue not yet begun. */
    private double nextWindow;
    private int nextCue;
    /** The next piece of each cue that has begun, earliest start first (the earlier cue on a tie). */
    private final PriorityQueue<Piece> started = new PriorityQueue<>(
            Comparator.comparingDouble(Piece::start).thenComparingInt(Piece::cue));
    private double vadDoneUpTo;
    /**
     * Voice activity: where the next pass starts, decided by the audio alone, and the voiced regions found but not yet
     * handed over because their frames have not all arrived ({start, end}). Before, a region whose frames lagged was
     * held and the next pass started at it, so how far the video had been decoded (FFmpeg's thread count, the core
     * count) moved the next pass's start and with it the detector's frame grid: segments moved by 10-66 ms.
     */
    private double vadFrom;
    private final ArrayDeque<double[]> waitingForFrames = new ArrayDeque<>();
    /** Samples dropped from the front of the buffer: the buffer's start counted, not summed in floating point. */
    private long droppedSamples;
    /**
     * The stretches of the buffer that are silence given for audio missing from the file ({@link #silence}), as {from,
     * to} sample numbers from the recording's start, in order: nothing in them is heard, detected or made a segment.
     */
    private final ArrayDeque<long[]> missing = new ArrayDeque<>();
    /**
     * Where the segment that took each cue's text starts (NaN while no segment has), so that a cue votes once with its
     * words however many segments it overlaps, as a long cue's pieces do, and so that the words no segment took are
     * named once decoding ends ({@link #cuesInNoSegment}). A fixed window takes the words of the cues it is over most
     * of (the windows are known in advance, so nothing waits); a voiced segment, whose successors are not, takes those
     * of the cues it is the first over, and those of the cues in the pause before it, which no segment is over (as an
     * instant there goes with what follows); under transcript cues, a cue's first piece takes them.
     */
    private final double[] cueGivenAt;
    private int peakAudioSamples, peakFrames, segments;
    /**
     * Whether any audio the file holds (not silence given for audio missing from it) is louder than digital silence: a
     * recording without is no segment under fixed windows either, unless they hold frames or cues.
     */
    private boolean sounded;

    /** @param text the recording's transcript: its cues, if it has any, segment it or give each segment its text */
    SegmentingSink(String source, TimelineConfig config, Method method, Optional<SpeechActivityDetector> vad,
                   TranscriptResolution text, Consumer<Segment> emit) {
        this(source, config, method, vad, text, HeardTranscripts.NONE, TranscriptLimits.DEFAULTS, emit);
    }

    /**
     * @param heard  the chain's recognition link for a recording without a transcript: each segment's audio (a voiced
     *               region, or a fixed window) is recognised on its own, so each segment gets its own words; close the
     *               sink when decoding ends or fails
     * @param limits the transcript's bounds, which also bound each segment's text (the cues it overlaps, joined)
     */
    SegmentingSink(String source, TimelineConfig config, Method method, Optional<SpeechActivityDetector> vad,
                   TranscriptResolution text, HeardTranscripts heard, TranscriptLimits limits, Consumer<Segment> emit) {
        this.heard = text.transcript() == null ? heard : HeardTranscripts.NONE;
        this.limits = limits;
        this.transcript = text.transcript();
        this.whyNoCues = text.transcript() == null ? text.whyMissing()
                : "the transcript " + text.transcript().origin() + " has no timings to place its text in segments";
        List<Transcript.Segment> cues = transcript == null ? List.of() : transcript.segments();
        this.source = source;
        this.config = config;
        this.method = method;
        this.vad = vad.orElse(null);
        // A cue may claim any finite length (1e300 s): beyond 2^31 pieces of the longest segment it is the same as
        // "to the end", and a piece count that saturated made a first piece that no recording ever reaches.
        double longest = config.maxSegmentSeconds() * (double) (1L << 31);
        this.cues = cues.stream().filter(c -> c.endSeconds() > c.startSeconds())
                .map(c -> c.endSeconds() - c.startSeconds() <= longest ? c
                        : new Transcript.Segment(c.startSeconds(), c.startSeconds() + longest, c.text()))
                .sorted((a, b) -> Double.compare(a.startSeconds(), b.startSeconds())).toList();
        this.instants = cues.stream().filter(c -> c.endSeconds() == c.startSeconds() && !c.text().isBlank())
                .sorted(Comparator.comparingDouble(Transcript.Segment::startSeconds)).toList();
        this.cueGivenAt = new double[this.cues.size()];
        Arrays.fill(cueGivenAt, Double.NaN);
        this.emit = emit;
        if (method == Method.VAD && this.vad == null)
            throw new IllegalArgumentException("voice-activity segmentation needs the pack's vad entry");
        if (config.overlapSeconds() >= config.windowSeconds())
            throw new IllegalArgumentException("moodtag.timeline.overlap-seconds must be smaller than window-seconds");
    }

    /**
     * Whether the transcript has a cue with length, which can make a segment: one of instants alone (word timings
     * without durations) has none, and its words go to the voiced segments or windows over them instead.
     */
    static boolean hasCueWithLength(TranscriptResolution text) {
        return text.present().map(t -> t.segments().stream().anyMatch(c -> c.endSeconds() > c.startSeconds())).orElse(false);
    }

    /** The values {@code moodtag.timeline.segmentation} takes, in any case. */
    static final List<String> METHODS = List.of("auto", "vad", "fixed", "transcript");

    /**
     * The method {@code auto} resolves to: transcript cues when there are timed ones, voice activity when there is
     * audio and a detector, fixed windows otherwise.
     */
    static Method choose(String configured, boolean timedTranscript, boolean hasAudio, boolean hasVad) {
        String c = configured.toLowerCase(Locale.ROOT);
        return switch (c) {
            case "vad" -> {
                if (!hasVad) throw new IllegalArgumentException("moodtag.timeline.segmentation=vad, but the model pack has no vad entry");
                yield hasAudio ? Method.VAD : Method.FIXED;
            }
            case "fixed" -> Method.FIXED;
            case "transcript" -> timedTranscript ? Method.TRANSCRIPT : hasAudio && hasVad ? Method.VAD : Method.FIXED;
            case "auto" -> timedTranscript ? Method.TRANSCRIPT : hasAudio && hasVad ? Method.VAD : Method.FIXED;
            default -> throw new IllegalArgumentException("moodtag.timeline.segmentation must be one of "
                    + String.join(", ", METHODS) + ", not " + configured);
        };
    }

    /**
     * A cue longer than the longest segment is handed over in equal pieces, so a segment stays bounded; its text goes
     * with the first piece only, so that a cue votes once with its text however long it is (each piece carrying it,
     * a five-minute cue over silence was twenty segments labelled by the same words). Pieces are made one at a time as
     * the recording reaches them: a cue's claimed length costs nothing.
     */
    private long pieceCount(Transcript.Segment c) {
        return Math.max(1, (long) Math.ceil((c.endSeconds() - c.startSeconds()) / config.maxSegmentSeconds() - 1e-9));
    }

    private double pieceStart(Transcript.Segment c, long piece) {
        return c.startSeconds() + piece * (c.endSeconds() - c.startSeconds()) / pieceCount(c);
    }

    private double pieceEnd(Transcript.Segment c, long piece) {
        return piece == pieceCount(c) - 1 ? c.endSeconds() : pieceStart(c, piece + 1);
    }

    @Override
    public void start(StreamInfo info) {
        this.info = info;
    }

    @Override
    public boolean audio(AudioTrack chunk) {
        sounded = sounded || !SpeechInput.silent(chunk);
        return buffer(chunk);
    }

    private boolean buffer(AudioTrack chunk) {
        float[] s = chunk.samples();
        if (audioCount + s.length > audio.length) compactOrGrow(s.length);
        System.arraycopy(s, 0, audio, audioCount, s.length);
        audioCount += s.length;
        audioEnd = audioStart + audioCount / (double) AudioTrack.RATE;
        peakAudioSamples = Math.max(peakAudioSamples, audioCount);
        advance(false);
        return true;
    }

    /**
     * Silence for audio missing from the file (a recording paused for an hour): kept in the buffer, so that segments
     * stay on the file's clock, but never given to the detector nor made a fixed window on its own. It buys no time
     * budget; before, a few kB file with two 59-minute pauses had the detector run over 7,086 s of zeros, or 886 windows
     * of them encoded and recognised, and a single pause spent the whole budget of the fixed windows.
     */
    @Override
    public boolean silence(AudioTrack chunk) {
        long from = droppedSamples + audioCount, to = from + chunk.samples().length;
        long[] last = missing.peekLast();
        if (last != null && last[1] == from) last[1] = to;
        else missing.addLast(new long[]{from, to});
        return buffer(chunk);
    }

    @Override
    public boolean frame(VideoFrame frame) {
        double t = frame.timestampSeconds();
        videoEnd = Math.max(videoEnd, t);
        if (info.stillImage() || t >= lastFrameKept + 1 / config.videoFps() - 1e-6) {
            frames.addLast(frame);
            lastFrameKept = t;
            peakFrames = Math.max(peakFrames, frames.size());
        }
        if (!info.hasAudio()) advance(false);
        else if (!waitingForFrames.isEmpty()) handWaiting(false);
        if (info.hasAudio() && videoEnd - audioEnd > MAX_AUDIO_LAG) {
            // Voice activity segments only where there is audio: frames past its end wait for none.
            if (method == Method.VAD) frames.removeIf(f -> f.timestampSeconds() >= audioEnd
                    && f.timestampSeconds() < videoEnd - MAX_AUDIO_LAG);
            else advance(false);
        }
        return true;
    }

    @Override
    public void end() {
        if (info.hasVideo()) videoEnd = Math.max(videoEnd, lastFrameKept + 1 / config.videoFps());
        advance(true);
        close();
    }

    /** Releases the recogniser, if a segment was recognised; safe more than once, and when decoding failed. */
    @Override
    public void close() {
        if (recording != null) recording.close();
        recording = null;
    }

    /** Seconds of recording whose audio and frames have both arrived. */
    private double ready() {
        if (!info.hasAudio()) return videoEnd;
        if (!info.hasVideo()) return audioEnd;
        return Math.max(Math.min(audioEnd, Math.max(videoEnd, audioEnd - MAX_VIDEO_LAG)), videoEnd - MAX_AUDIO_LAG);
    }

    private double length() {
        return Math.max(info.hasAudio() ? audioEnd : 0, info.hasVideo() ? videoEnd : 0);
    }

    private void advance(boolean atEnd) {
        switch (method) {
            case FIXED -> fixedWindows(atEnd);
            case TRANSCRIPT -> transcriptCues(atEnd);
            case VAD -> voiceActivity(atEnd);
        }
    }

    private void fixedWindows(boolean atEnd) {
        double w = config.windowSeconds(), hop = w - config.overlapSeconds();
        // At the end everything decoded is there: whole windows up to the longer stream's end, then the last one.
        double ready = atEnd ? length() : ready();
        while (nextWindow + w <= ready) {
            double next = nextContentFrom(nextWindow);
            if (next >= nextWindow + w) {
                // Nothing decoded or said in this window: go straight to the first window that holds something (or
                // past what is ready). A frame timestamp 10^7 s on handed over 1.25 million empty windows one by one.
                double k = Math.floor(((Double.isFinite(next) ? next : ready) - w) / hop) + 1;
                nextWindow = Math.max(nextWindow + hop, k * hop);
                dropBefore(nextWindow);
                continue;
            }
            hand(nextWindow, nextWindow + w, null, null);
            nextWindow += hop;
            dropBefore(nextWindow);
        }
        // Audio may arrive behind windows that went on with the picture alone (sound that starts an hour into it, given
        // as that hour's silence at once): none of it before the next window is needed, and all of it was kept.
        dropBefore(nextWindow);
        if (atEnd) {
            double end = length();
            // The last, shorter window; the first one even if short, so a recording always gets a segment.
            // A window inside the one before is made only for a cue whose words were left to it, as the window over
            // most of the cue lay past the recording's end.
            if (end - nextWindow >= config.minSegmentSeconds() || (segments == 0 && end > nextWindow))
                if (end > nextWindow + (segments == 0 ? 0 : config.overlapSeconds()) || cueLeftTo(nextWindow, end))
                    hand(nextWindow, end, null, null);
        }
    }

    /**
     * Cue pieces are handed over in the order they start, whichever cue they belong to: a long cue (a "[music]" cue
     * over the dialogue) and the cues inside it overlap, and taking all of one cue's pieces before the next cue dropped
     * the media of the cues inside it (a 2-6 s cue inside a 0-40 s one came out without audio or frames).
     */
    private void transcriptCues(boolean atEnd) {
        double ready = ready();
        while (true) {
            Piece head = started.peek();
            if (nextCue < cues.size() && (head == null || cues.get(nextCue).startSeconds() < head.start())) {
                started.add(new Piece(nextCue, 0, cues.get(nextCue).startSeconds()));
                nextCue++;
                continue;
            }
            if (head == null) break;
            Transcript.Segment c = cues.get(head.cue());
            double start = head.start(), pieceEnd = pieceEnd(c, head.index());
            if (pieceEnd > ready && !atEnd) break;
            started.poll();
            if (atEnd && start >= length()) continue; // this piece and the rest of its cue are past the recording's end
            if (head.index() + 1 < pieceCount(c))
                started.add(new Piece(head.cue(), head.index() + 1, pieceStart(c, head.index() + 1)));
            double end = atEnd ? Math.min(pieceEnd, Math.max(length(), start)) : pieceEnd;
            String textElsewhere = head.index() == 0 ? null : String.format(Locale.ROOT,
                    "the cue's text is given once, with its first piece (%.2f-%.2f s)", c.startSeconds(), pieceEnd(c, 0));
            // Cut at the recording's end, a piece may be the rounding of the last frame's time (10^-12 s): not a segment.
            if (end > start + (atEnd ? 1e-3 : 0)) {
                hand(start, end, head.index() == 0 ? c.text() : null, textElsewhere);
                if (head.index() == 0) cueGivenAt[head.cue()] = start;
            }
            dropBefore(Math.min(firstPendingStart(), end));
        }
        // Between cues nothing is needed: forget it as it arrives rather than when the next cue ends.
        dropBefore(Math.min(firstPendingStart(), ready));
    }

    /** Where the earliest piece not yet handed over starts (infinity when none is left). */
    private double firstPendingStart() {
        double next = nextCue < cues.size() ? cues.get(nextCue).startSeconds() : Double.POSITIVE_INFINITY;
        return started.isEmpty() ? next : Math.min(next, started.peek().start());
    }

    /** A piece of a cue (the cue's number, the piece's number) that is next to be handed over, and its start. */
    private record Piece(int cue, long index, double start) {
    }

    private void voiceActivity(boolean atEnd) {
        if (!atEnd && audioEnd - vadDoneUpTo < config.vadBlockSeconds()) {
            if (!waitingForFrames.isEmpty()) handWaiting(false);
            return;
        }
        vadDoneUpTo = audioEnd;
        int from = index(vadFrom);
        double passStart = (droppedSamples + from) / (double) AudioTrack.RATE;
        List<Region> regions = merge(heard(from));
        double keepFrom = atEnd ? audioEnd : Math.max(passStart, audioEnd - 1.0);
        for (Region r : regions) {
            double s = passStart + r.startSeconds(), e = passStart + r.endSeconds();
            boolean open = !atEnd && e >= audioEnd - OPEN_MARGIN;
            double max = config.maxSegmentSeconds();
            while (e - s > max) { // long speech: whole pieces; the rest may go on in the next block
                waitingForFrames.addLast(new double[]{s, s + max});
                s += max;
            }
            if (open) {
                keepFrom = s;
                break;
            }
            if (e - s >= config.minSegmentSeconds()) waitingForFrames.addLast(new double[]{s, e});
            keepFrom = Math.max(keepFrom, Math.min(e, audioEnd));
        }
        vadFrom = keepFrom;
        handWaiting(atEnd);
    }

    /**
     * Hands over the regions whose frames have arrived (speech past where the video has arrived waits for its frames;
     * the video may run up to MAX_VIDEO_LAG behind), then forgets what neither they nor the next pass need.
     */
    private void handWaiting(boolean atEnd) {
        double framesUpTo = atEnd ? Double.POSITIVE_INFINITY : ready();
        while (!waitingForFrames.isEmpty() && waitingForFrames.peekFirst()[1] <= framesUpTo) {
            double[] r = waitingForFrames.removeFirst();
            hand(r[0], r[1], null, null);
        }
        dropBefore(waitingForFrames.isEmpty() ? vadFrom : Math.min(vadFrom, waitingForFrames.peekFirst()[0]));
    }

    /**
     * The detector's speech regions in the buffer from {@code from} on (relative to it), run on each stretch between the
     * silences given for missing audio: those hold no speech, and the detector never hears them.
     */
    private List<Region> heard(int from) {
        List<Region> regions = new ArrayList<>();
        int at = from;
        for (long[] gap : missing) {
            int gapFrom = (int) Math.max(0, gap[0] - droppedSamples), gapTo = (int) Math.min(audioCount, gap[1] - droppedSamples);
            if (gapTo <= at) continue;
            if (gapFrom > at) detect(at, gapFrom, from, regions);
            at = gapTo;
        }
        if (at < audioCount || at == from) detect(at, audioCount, from, regions);
        return regions;
    }

    /** Adds the regions the detector finds in {@code audio[a, b)}, relative to {@code origin}. */
    private void detect(int a, int b, int origin, List<Region> into) {
        double offset = (a - origin) / (double) AudioTrack.RATE;
        for (Region r : vad.speechRegions(new AudioTrack(Arrays.copyOfRange(audio, a, b), AudioTrack.RATE, 0)))
            into.add(new Region(offset + r.startSeconds(), offset + r.endSeconds()));
    }

    /** Regions (relative to the buffer) closer than the merge gap become one. */
    private List<Region> merge(List<Region> regions) {
        List<Region> out = new ArrayList<>();
        for (Region r : regions) {
            Region last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r.startSeconds() - last.endSeconds() < config.mergeGapSeconds())
                out.set(out.size() - 1, new Region(last.startSeconds(), r.endSeconds()));
            else out.add(r);
        }
        return out;
    }

    /**
     * Builds the segment's utterance from what is buffered and hands it on.
     *
     * @param textElsewhere why the segment has none of the text said over it (its cue's text went with another piece);
     *                      null when it takes the text of its cue, or of the cues it overlaps
     */
    private void hand(double start, double end, String cueText, String textElsewhere) {
        Map<Modality, String> missing = new EnumMap<>(Modality.class);
        String name = String.format(Locale.ROOT, "%s@%.2f-%.2f", source, start, end);
        AudioTrack track = null;
        if (!info.hasAudio()) missing.put(Modality.SPEECH, "no audio stream in " + source);
        else {
            int from = index(start), to = index(end);
            if (to <= from) missing.put(Modality.SPEECH, "no audio in this segment");
            else if (firstHeardSample(droppedSamples + from) >= droppedSamples + to)
                missing.put(Modality.SPEECH, String.format(Locale.ROOT, "the file has no audio from %.2f to %.2f s", start, end));
            else {
                track = new AudioTrack(Arrays.copyOfRange(audio, from, to), AudioTrack.RATE, start);
                // A cue's times are the transcript's and a fixed window's the clock's, not the sound's: either may lie
                // over silence, which voice activity never makes a segment of. Said here rather than found by each
                // speech encoder's detector (a cue over five minutes of silence had Silero and both speech encoders
                // run over 261 s of it), and not given to the recogniser.
                if (SpeechInput.silent(track)) {
                    missing.put(Modality.SPEECH, SpeechInput.SILENT);
                    track = null;
                }
            }
        }
        VideoTrack video = null;
        if (!info.hasVideo()) missing.put(Modality.VIDEO, "no video stream in " + source);
        else {
            List<VideoFrame> inside = frames.stream()
                    .filter(f -> info.stillImage() || (f.timestampSeconds() >= start && f.timestampSeconds() < end)).toList();
            if (inside.isEmpty()) missing.put(Modality.VIDEO, "no frame sampled in this segment");
            else video = new VideoTrack(inside, config.videoFps(), info.sourceFps());
        }
        if (textElsewhere == null && cueText == null) textElsewhere = cuesGivenElsewhere(start, end);
        Transcript text = said(start, end, cueText);
        String ownTextMissing = text == null ? textElsewhere : null;
        TranscriptResolution heardText = null;
        if (text != null || textElsewhere != null) {
            // its text is the cues', or went with another piece of its cue
        } else if (heard.listens() && track != null) {
            if (recording == null) recording = heard.recording();
            heardText = recording.hear(track);
            text = heardText.transcript();
            if (text == null) ownTextMissing = heardText.whyMissing();
        } else if (heard.listens() && info.hasAudio()) ownTextMissing = SpeechInput.SILENT.equals(missing.get(Modality.SPEECH))
                ? "its audio is digital silence: nothing to recognise" : "no audio in this segment to recognise";
        else if (!cues.isEmpty() || !instants.isEmpty()) ownTextMissing = "nothing said in this segment's cues";
        if (text == null) missing.put(Modality.TEXT, ownTextMissing != null ? ownTextMissing : whyNoCues);
        if (missing.size() == Modality.values().length) return;
        segments++;
        emit.accept(new Segment(start, end, new Utterance(name, track, video, text, missing), ownTextMissing, heardText));
    }

    /**
     * The text of the segment's own cue, or of every cue it overlaps whose words it takes, with those of the instants
     * it takes, in the order they were said, bounded like any utterance's: a window over many cues (a fixed window over
     * 100 overlapping ones) otherwise joined them all. Null when nothing was said.
     */
    private Transcript said(double start, double end, String cueText) {
        List<Transcript.Segment> said = new ArrayList<>();
        if (cueText != null) said.add(new Transcript.Segment(start, end, cueText));
        else if (method != Method.TRANSCRIPT) for (int i = 0; i < cues.size(); i++) {
            if (!takes(i, start, end)) continue;
            cueGivenAt[i] = start;
            said.add(cues.get(i));
        }
        while (nextInstant < instants.size() && instants.get(nextInstant).startSeconds() <= end)
            said.add(instants.get(nextInstant++));
        if (said.isEmpty()) return null;
        said.sort(Comparator.comparingDouble(Transcript.Segment::startSeconds));
        Transcript part = transcript.part(said.stream().map(Transcript.Segment::text).toList(), limits);
        return part.isBlank() ? null : part;
    }

    /**
     * Why a fixed window or voiced segment has none of the text said over it: every cue it overlaps gives its words to
     * another segment. Null when it takes a cue's words, or overlaps none.
     */
    private String cuesGivenElsewhere(double start, double end) {
        double first = Double.NaN;
        for (int i = 0; i < cueGivenAt.length; i++) {
            Transcript.Segment c = cues.get(i);
            if (c.endSeconds() <= start || c.startSeconds() >= end) continue;
            if (takes(i, start, end)) return null;
            double at = Double.isNaN(cueGivenAt[i]) ? windowOverMost(c) : cueGivenAt[i];
            if (Double.isNaN(first) || at < first) first = at;
        }
        return Double.isNaN(first) ? null : String.format(Locale.ROOT, method == Method.FIXED
                ? "its cues' text is given once, with the window over most of each (from %.2f s)"
                : "its cues' text is given once, with the first segment over them (from %.2f s)", first);
    }

    /**
     * Whether the segment [start, end) takes cue {@code i}'s words: no segment took them yet, and it is a voiced segment
     * over the cue or after it (the cue lies in the pause before it, as no segment before took it), the fixed window
     * over most of the cue, or the recording's last window (cut short by the recording's end, beyond which the window
     * over most of the cue may lie).
     */
    private boolean takes(int i, double start, double end) {
        Transcript.Segment c = cues.get(i);
        if (c.startSeconds() >= end || !Double.isNaN(cueGivenAt[i])) return false;
        if (c.endSeconds() <= start) return method == Method.VAD;
        return method != Method.FIXED || end < start + config.windowSeconds() - 1e-9
                || windowOverMost(c) <= start + 1e-9 * Math.max(1, start);
    }

    /** Whether a cue over [start, end), or an instant up to its end, still has words that no window took. */
    private boolean cueLeftTo(double start, double end) {
        for (int i = 0; i < cueGivenAt.length; i++) if (takes(i, start, end)) return true;
        return nextInstant < instants.size() && instants.get(nextInstant).startSeconds() <= end;
    }

    /**
     * Where the fixed window over most of the cue starts (the earlier on a tie). Windows start every hop from 0, and
     * the overlap of [x, x + window) with the cue rises strictly up to x = min(start, end - window), stays flat up to
     * max(start, end - window) and falls after: the best start is the last before that rise ends or the first after.
     */
    private double windowOverMost(Transcript.Segment c) {
        double w = config.windowSeconds(), hop = w - config.overlapSeconds();
        double k = Math.max(0, Math.floor(Math.min(c.startSeconds(), c.endSeconds() - w) / hop));
        double first = overlap(c, k * hop, w), next = overlap(c, (k + 1) * hop, w);
        return next > first ? (k + 1) * hop : k * hop;
    }

    private static double overlap(Transcript.Segment c, double from, double length) {
        return Math.min(c.endSeconds(), from + length) - Math.max(c.startSeconds(), from);
    }

    private int index(double t) {
        return Math.max(0, Math.min(audioCount, (int) Math.round((t - audioStart) * AudioTrack.RATE)));
    }

    /** The earliest time from {@code t} on that holds decoded audio, a kept frame or a cue; infinite when none does. */
    private double nextContentFrom(double t) {
        double next = Double.POSITIVE_INFINITY;
        if (info.hasAudio() && audioCount > 0 && audioEnd > t) {
            long at = firstHeardSample(droppedSamples + index(Math.max(t, audioStart)));
            if (at < droppedSamples + audioCount) next = Math.max(t, at / (double) AudioTrack.RATE);
        }
        for (VideoFrame f : frames) if (f.timestampSeconds() >= t || info.stillImage()) next = Math.min(next, Math.max(t, f.timestampSeconds()));
        for (Transcript.Segment c : cues) if (c.endSeconds() > t) next = Math.min(next, Math.max(t, c.startSeconds()));
        for (int i = nextInstant; i < instants.size(); i++)
            if (instants.get(i).startSeconds() >= t) return Math.min(next, instants.get(i).startSeconds());
        return next;
    }

    /** The first sample from {@code at} on (counted from the recording's start) that is not silence given for missing audio. */
    private long firstHeardSample(long at) {
        for (long[] gap : missing) if (gap[0] <= at && at < gap[1]) at = gap[1];
        return at;
    }

    /** Forgets audio and frames before {@code t}: they belong to segments already handed over. */
    private void dropBefore(double t) {
        int n = index(t);
        if (n > 0) {
            System.arraycopy(audio, n, audio, 0, audioCount - n);
            audioCount -= n;
            droppedSamples += n;
            audioStart = droppedSamples / (double) AudioTrack.RATE;
            while (!missing.isEmpty() && missing.peekFirst()[1] <= droppedSamples) missing.removeFirst();
        }
        while (!frames.isEmpty() && !info.stillImage() && frames.peekFirst().timestampSeconds() < t) frames.removeFirst();
    }

    private void compactOrGrow(int incoming) {
        audio = Arrays.copyOf(audio, Math.max(audio.length * 2, audioCount + incoming));
    }

    /**
     * Why the recording gave no segment, once decoding has ended. Fixed windows are suggested where they would find
     * something voice activity did not: sound, frames or cues; over digital silence alone they are no segment either.
     */
    String whyNoSegment() {
        if (method != Method.VAD) return "the recording holds nothing the encoders can use";
        String instead = " (moodtag.timeline.segmentation=fixed classifies fixed windows instead)";
        if (sounded) return "no speech found" + instead;
        String silence = "no speech found: its audio is digital silence";
        return info.hasVideo() || !cues.isEmpty() || !instants.isEmpty() ? silence + instead : silence;
    }

    /**
     * The cues whose words no segment took, once decoding has ended, counted with their words: those after the last
     * segment (under voice activity, in the silence after the last voiced one) and those past the recording's end, said
     * apart; null when every cue's words went to a segment. The recording's transcript carries it, as it does what its
     * bounds left out, so that no word of the user's transcript is lost without a word.
     */
    String cuesInNoSegment() {
        List<Transcript.Segment> left = new ArrayList<>(instants.subList(nextInstant, instants.size()));
        for (int i = 0; i < cues.size(); i++) if (Double.isNaN(cueGivenAt[i])) left.add(cues.get(i));
        left.removeIf(c -> c.text().isBlank());
        if (left.isEmpty()) return null;
        left.sort(Comparator.comparingDouble(Transcript.Segment::startSeconds));
        double end = length();
        // Past the end: nothing of it lies in the recording; an instant at the very end still does.
        Map<Boolean, List<Transcript.Segment>> pastEnd = left.stream()
                .collect(Collectors.partitioningBy(c -> c.startSeconds() >= end && c.endSeconds() > end));
        List<Transcript.Segment> past = pastEnd.get(true), within = pastEnd.get(false);
        List<String> said = new ArrayList<>();
        if (!within.isEmpty()) said.add(counted(within) + (within.size() == 1 ? " is in no segment: none reaches it"
                : " are in no segment: none reaches them"));
        if (!past.isEmpty()) said.add(counted(past) + String.format(Locale.ROOT, past.size() == 1
                ? " lies past the recording's end (%.2f s): its words are in no segment"
                : " lie past the recording's end (%.2f s): their words are in no segment", end));
        return String.join("; ", said);
    }

    /** "2 cues (6 words) from 20.00 s on": how many cues, their words and where the first starts. */
    private static String counted(List<Transcript.Segment> cues) {
        int words = cues.stream().mapToInt(c -> c.text().strip().split("\\s+").length).sum();
        return String.format(Locale.ROOT, "%d cue%s (%d word%s) from %.2f s on", cues.size(), cues.size() == 1 ? "" : "s",
                words, words == 1 ? "" : "s", cues.get(0).startSeconds());
    }

    /** How far the audio and video were decoded, in seconds (0 before any). */
    double decodedSeconds() {
        return info == null ? 0 : length();
    }

    /** The most audio (in seconds) and frames held at once: the memory bound, for tests and logs. */
    double peakBufferedSeconds() {
        return peakAudioSamples / (double) AudioTrack.RATE;
    }

    int peakBufferedFrames() {
        return peakFrames;
    }
}
