package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How long one object may take: {@code base + perMediaSecond × media length}, counted from {@link #start}. The media
 * length is what has been decoded so far: the audio's samples, and the video's decoded frames, each counting its
 * frame duration but no less than 1/60 s and no more than 1/5 s. Neither what the container declares nor where its
 * timestamps point counts: a 20 s film declaring 45 days was allowed 22 days at the defaults, and a timestamp jump
 * bought as much.
 * A long recording is not cut short, as its budget grows with every packet decoded. Decoders call {@link #check} for
 * every decoded packet, on every decoding thread, and stop with {@link Kind#LIMIT_EXCEEDED} once it is spent; work
 * that runs between two checks (one frame, one segment's encoders) is not interrupted.
 * <p>
 * The budget is wall-clock time, which a machine loaded far beyond its cores (an edge box under a burst, a pod held to
 * its CPU limit) spends on a file that would pass on an idle one. So once it is spent, the object's own CPU time
 * ({@link CpuAccount}) decides, by {@link Overrun#verdict}: an object whose work used the allowance in CPU time is
 * expensive, {@link Kind#LIMIT_EXCEEDED} for good ({@link Spent}); one whose CPU time stays under it was starved and
 * runs on, until the wall clock reaches {@code starvedCap} times the allowance, where it stops as {@link Starved}: a
 * transient failure, retried with nothing written.
 */
public final class TimeBudget {
    /** No limit (the CLI commands and benchmarks that decode what they are given). */
    public static final TimeBudget UNLIMITED = new TimeBudget(Duration.ofNanos(Long.MAX_VALUE), 0, 1, System::nanoTime,
            CpuAccount.NONE, () -> -1);

    /** How many times its allowance a starved object may take on the wall clock ({@code moodtag.budget.starved-cap}). */
    public static final double DEFAULT_STARVED_CAP = 4;

    /**
     * How often, on the wall clock, a starving object's checks read its CPU time afresh: a reading asks the kernel for
     * each of its threads' CPU time and the process's, 1.3-2.0 µs a check where a PCM packet decodes in about 9 µs.
     */
    static final long CPU_READ_INTERVAL_NANOS = 10_000_000L;

    /** The least and the most one decoded video frame counts, seconds: a frame rate in a header buys no more. */
    static final double MIN_FRAME_SECONDS = 1 / 60.0, MAX_FRAME_SECONDS = 1 / 5.0;

    private final long baseNanos;
    private final double perMediaSecond;
    private final double starvedCap;
    private final LongSupplier wallNanos;
    private final long startNanos;
    private final CpuAccount cpu;
    /** The object's CPU time in nanoseconds, -1 where not measured. */
    private final LongSupplier cpuNanos;
    /** The last reading of {@link #cpuNanos} and when it was taken on the wall clock; null before the first. */
    private volatile CpuReading lastCpu;
    /** The furthest the audio has been decoded, in microseconds (one thread decodes it). */
    private final AtomicLong audioMicros = new AtomicLong();
    /** The video decoded so far, summed over the threads that decode its parts, in microseconds. */
    private final AtomicLong videoMicros = new AtomicLong();

    private TimeBudget(Duration base, double perMediaSecond, double starvedCap, LongSupplier wallNanos, CpuAccount cpu,
                       LongSupplier cpuNanos) {
        this.baseNanos = base.toNanos();
        this.perMediaSecond = perMediaSecond;
        this.starvedCap = starvedCap;
        this.wallNanos = wallNanos;
        this.startNanos = wallNanos.getAsLong();
        this.cpu = cpu;
        this.cpuNanos = cpuNanos;
    }

    /**
     * @param base           time allowed whatever the length (opening, models' first run, a short clip)
     * @param perMediaSecond time allowed per second of media decoded, on top
     */
    public static TimeBudget start(Duration base, double perMediaSecond) {
        return start(base, perMediaSecond, DEFAULT_STARVED_CAP);
    }

    /**
     * @param starvedCap how many times the allowance a starved object may take on the wall clock before it stops as
     *                   {@link Starved} (at least 1)
     */
    public static TimeBudget start(Duration base, double perMediaSecond, double starvedCap) {
        CpuAccount cpu = CpuAccount.start();
        return start(base, perMediaSecond, starvedCap, System::nanoTime, cpu, cpu.clock());
    }

    /** With the clocks given: the verdict's tests drive wall-clock and CPU time by hand. */
    static TimeBudget start(Duration base, double perMediaSecond, double starvedCap, LongSupplier wallNanos,
                            CpuAccount cpu, LongSupplier cpuNanos) {
        if (base.isNegative() || perMediaSecond < 0 || Double.isNaN(perMediaSecond))
            throw new IllegalArgumentException("a time budget needs a base >= 0 and a factor >= 0, not " + base + ", " + perMediaSecond);
        if (!(starvedCap >= 1 && starvedCap <= Overrun.MAX_STARVED_CAP))
            throw new IllegalArgumentException("a starved object's cap must be in [1, " + Overrun.MAX_STARVED_CAP
                    + "] times the allowance, not " + starvedCap);
        return new TimeBudget(base, perMediaSecond, starvedCap, wallNanos, cpu, cpuNanos);
    }

    public boolean unlimited() {
        return this == UNLIMITED;
    }

    /** The audio has been decoded up to {@code seconds}. */
    public void audioDecoded(double seconds) {
        if (seconds > 0) audioMicros.accumulateAndGet(Math.round(seconds * 1e6), Math::max);
    }

    /** One more video frame was decoded, of a stream at {@code sourceFps} (0 when unknown). */
    public void frameDecoded(double sourceFps) {
        double seconds = sourceFps > 0 ? Math.max(MIN_FRAME_SECONDS, Math.min(MAX_FRAME_SECONDS, 1 / sourceFps)) : MIN_FRAME_SECONDS;
        videoMicros.addAndGet(Math.round(seconds * 1e6));
    }

    /** Seconds of media the budget counts so far. */
    public double mediaSeconds() {
        return Math.max(audioMicros.get(), videoMicros.get()) / 1e6;
    }

    /** Seconds allowed so far (grows as media is decoded). */
    public double allowedSeconds() {
        return baseNanos / 1e9 + perMediaSecond * mediaSeconds();
    }

    public double elapsedSeconds() {
        return (wallNanos.getAsLong() - startNanos) / 1e9;
    }

    /**
     * The calling thread works for this object until the scope closes: its CPU time counts, and so does that of the
     * encoder tasks it hands on ({@link CpuAccount#charged}).
     */
    public CpuAccount.Scope charge() {
        return cpu.charge();
    }

    /**
     * Starts {@code grabber} (opening its codecs) and counts the codec threads FFmpeg starts for it as this object's
     * work until the scope closes, before the grabber is released.
     */
    CpuAccount.Scope startCounted(org.bytedeco.javacv.FFmpegFrameGrabber grabber) throws org.bytedeco.javacv.FrameGrabber.Exception {
        if (unlimited() || !cpu.measured() || !CodecThreads.READABLE) {
            grabber.start();
            return () -> {
            };
        }
        // JavaCV opens codecs under this lock, so no other decoder's threads start between the two listings
        synchronized (org.bytedeco.ffmpeg.global.avcodec.class) {
            java.util.Set<String> before = CodecThreads.running();
            grabber.start();
            return cpu.countCodecThreads(CodecThreads.startedSince(before));
        }
    }

    /**
     * @param position where in the media this thread is, for the message
     * @throws MediaException {@link Kind#LIMIT_EXCEEDED} once the time allowed is spent: {@link Spent} when the
     *                        object's work used it, {@link Starved} when the machine kept it waiting past the cap
     */
    public void check(String source, double position) {
        if (unlimited()) return;
        // a thread with no scope of its own (a caller decoding with a budget directly) counts from its first check
        cpu.enrol();
        long now = wallNanos.getAsLong();
        double elapsed = (now - startNanos) / 1e9;
        double allowed = allowedSeconds();
        if (elapsed <= allowed) return;
        // a stale reading is at most what a fresh one would say (CPU time only grows): it may leave an expensive
        // object running for the interval, but it may not stop one as starved
        CpuReading last = lastCpu;
        boolean fresh = last == null || now - last.wallNanos() >= CPU_READ_INTERVAL_NANOS;
        Overrun o = overrun(elapsed, fresh ? readCpu(now) : last.cpuNanos(), allowed);
        if (o.verdict() == Overrun.Verdict.STARVED) {
            // the share of the process's CPU time, too, as read now rather than within the interval
            cpu.freshen();
            o = overrun(elapsed, readCpu(now), allowed);
        }
        Overrun.Verdict verdict = o.verdict();
        if (verdict == Overrun.Verdict.WITHIN || verdict == Overrun.Verdict.STARVING) return;
        String where = String.format(Locale.ROOT, "%.1f s allowed for %.1f s of media decoded "
                + "(moodtag.budget.base + moodtag.budget.per-media-second × length); stopped at %.1f s",
                allowed, mediaSeconds(), Math.max(0, position));
        if (verdict == Overrun.Verdict.EXPENSIVE) throw new Spent(source, String.format(Locale.ROOT,
                "the time budget was exceeded by the work itself: %.1f s spent, %s, ", elapsed,
                Double.isNaN(o.cpuSeconds()) ? "CPU time not measured"
                        : String.format(Locale.ROOT, "%.1f s of it CPU time", o.cpuSeconds())) + where);
        throw new Starved(source, String.format(Locale.ROOT,
                "the machine was too busy, not the media too expensive: %.1f s spent on the wall clock but %.1f s of CPU "
                        + "time, ", elapsed, o.cpuSeconds()) + where + String.format(Locale.ROOT,
                "; a starved object stops at %.1f s (moodtag.budget.starved-cap × allowed)", allowed * starvedCap));
    }

    private long readCpu(long wallNow) {
        long cpuNow = cpuNanos.getAsLong();
        lastCpu = new CpuReading(wallNow, cpuNow);
        return cpuNow;
    }

    private Overrun overrun(double elapsed, long cpuNow, double allowed) {
        return new Overrun(elapsed, cpuNow < 0 ? Double.NaN : cpuNow / 1e9, allowed, starvedCap);
    }

    /** The object's CPU time ({@code -1} where not measured) as read at {@code wallNanos}. */
    private record CpuReading(long wallNanos, long cpuNanos) {
    }

    /**
     * The rule, in one place: {@code wall}, {@code cpu} and {@code allowed} seconds so far ({@code cpu} NaN where
     * not measured), {@code starvedCap} the wall-clock cap as a multiple of {@code allowed}.
     */
    public record Overrun(double wallSeconds, double cpuSeconds, double allowedSeconds, double starvedCap) {
        /** The most a starved object's cap may be: a setting beyond this is refused rather than waited for. */
        public static final double MAX_STARVED_CAP = 1000;

        public enum Verdict {
            /** The allowance is not spent. */
            WITHIN,
            /** Spent on the wall clock but not in CPU time, under the cap: the machine is slow now; run on. */
            STARVING,
            /** The object's own work used the allowance in CPU time (or CPU time is not measured): for good. */
            EXPENSIVE,
            /** Spent on the wall clock up to the cap with the CPU time still under the allowance: transient. */
            STARVED
        }

        /**
         * Within the allowance, nothing to judge. Past it, CPU time at or over the allowance means the work itself
         * would not fit on an idle core either (one thread's CPU time is about its idle wall-clock time); CPU time
         * under it means the object was kept waiting (for cores, paused), and it runs on until the wall clock reaches
         * the cap, where it stops as transient unless its CPU time has used the allowance by then.
         */
        public Verdict verdict() {
            if (!(wallSeconds > allowedSeconds)) return Verdict.WITHIN;
            if (Double.isNaN(cpuSeconds) || cpuSeconds >= allowedSeconds) return Verdict.EXPENSIVE;
            return wallSeconds > allowedSeconds * starvedCap ? Verdict.STARVED : Verdict.STARVING;
        }
    }

    /**
     * The budget ran out: the object's, unlike the media's own failures ({@link DecodeFailures}); every decoding thread
     * stops alike whichever it is.
     */
    static sealed class Spent extends MediaException permits Starved {
        Spent(String source, String reason) {
            super(Kind.LIMIT_EXCEEDED, source, reason);
        }
    }

    /**
     * Stopped at the wall-clock cap while its CPU time stayed under the allowance: the machine's load, not the media;
     * the caller answers it as retryable and writes no result.
     */
    public static final class Starved extends Spent {
        private final String reason;

        Starved(String source, String reason) {
            super(source, reason);
            this.reason = reason;
        }

        /** Without a limit kind's advice: no limit needs raising, and nothing is wrong with the file. */
        @Override
        public String getMessage() {
            return file() + ": " + reason;
        }

        /** Whether {@code e} or one of its causes is a starved budget. */
        public static boolean explains(Throwable e) {
            int depth = 0;
            for (Throwable t = e; t != null && depth < 32; t = t.getCause(), depth++) if (t instanceof Starved) return true;
            return false;
        }
    }
}
