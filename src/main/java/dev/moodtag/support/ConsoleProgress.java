package dev.moodtag.support;

import dev.moodtag.function.LogLineEscaper;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The command line's one progress display (batch tagging, feature extraction, training), on stderr: a bar redrawn in
 * place on a terminal, and in a log (CI, a redirected run) plain lines, never carriage returns: one per
 * {@link #event event}, and a heartbeat while work goes on, so that a long step is never silent for minutes.
 * Both show done/total, elapsed time, ETA and rate (the progress bar library's rendering), and the latest message.
 */
public final class ConsoleProgress implements AutoCloseable {

    /** In a log, a line at least this often while work is under way, even when no item finished. */
    public static final Duration LOG_HEARTBEAT = Duration.ofSeconds(30);
    private static final int REDRAW_MILLIS = 500;

    private final ProgressBar bar;
    private final boolean redrawn;

    private ConsoleProgress(ProgressBar bar, boolean redrawn) {
        this.bar = bar;
        this.redrawn = redrawn;
    }

    /** On stderr: redrawn when this process has a terminal, else lines with a {@link #LOG_HEARTBEAT}. */
    public static ConsoleProgress open(String task, long total, String unit) {
        // JDK 17 has no isatty for stderr, and a console only means stdin and stdout are terminals: a run started from a
        // terminal with "2> train.log" has one, and its log filled with redrawn bars
        return System.console() != null && isTerminal(STDERR)
                ? redrawn(task, total, unit) : lines(task, total, unit, System.err, LOG_HEARTBEAT);
    }

    /** Where Linux shows what this process's stderr is. */
    static final Path STDERR = Path.of("/proc/self/fd/2");

    /**
     * Whether a file descriptor's {@code /proc} link names a terminal. Without {@code /proc} (not Linux) the console
     * alone decides, as before.
     */
    static boolean isTerminal(Path fdLink) {
        String target;
        try {
            target = Files.readSymbolicLink(fdLink).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    static ConsoleProgress redrawn(String task, long total, String unit) {
        return new ConsoleProgress(builder(task, total, unit).setUpdateIntervalMillis(REDRAW_MILLIS).continuousUpdate().build(), true);
    }

    /**
     * One line per event and per heartbeat on {@code out}. The library also renders when the bar closes; a line that
     * says nothing new (same count and message) within a heartbeat of the last one is not written.
     */
    public static ConsoleProgress lines(String task, long total, String unit, PrintStream out, Duration heartbeat) {
        Object[] last = {null, 0L}; // what the last line said, when (nanoTime)
        long quiet = heartbeat.toNanos() * 9 / 10;
        return new ConsoleProgress(builder(task, total, unit).setUpdateIntervalMillis((int) heartbeat.toMillis()).continuousUpdate()
                .setRenderer((state, width) -> {
                    synchronized (last) {
                        String said = state.getCurrent() + "/" + state.getMax() + " " + state.getExtraMessage();
                        long now = System.nanoTime();
                        if (said.equals(last[0]) && now - (long) last[1] < quiet) return "";
                        last[0] = said;
                        last[1] = now;
                        return logLine(state, unit);
                    }
                })
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    if (!line.isEmpty()) out.println(line);
                }, Integer.MAX_VALUE)).build(), false);
    }

    /** "train 25/57 fits (43 %), elapsed 0:01:10, ETA 0:01:33, 0.36 fits/s: fold 2/3 …": a bar's worth of facts, no bar. */
    static String logLine(ProgressState state, String unit) {
        long done = state.getCurrent() - state.getStart(), max = state.getMax();
        Duration elapsed = state.getTotalElapsed();
        double seconds = Math.max(1e-3, state.getElapsedAfterStart().toMillis() / 1e3);
        StringBuilder line = new StringBuilder(state.getTaskName()).append(' ')
                .append(String.format(Locale.ROOT, "%,d/%,d %s", state.getCurrent(), max, unit));
        if (max > 0) line.append(String.format(Locale.ROOT, " (%d %%)", 100 * state.getCurrent() / max));
        line.append(", elapsed ").append(clock(elapsed));
        if (done > 0 && max > state.getCurrent())
            line.append(", ETA ").append(clock(Duration.ofMillis((long) (seconds * 1e3 * (max - state.getCurrent()) / done))));
        if (done > 0) line.append(String.format(Locale.ROOT, ", %.3g %s/s", done / seconds, unit));
        String message = state.getExtraMessage();
        if (message != null && !message.isBlank()) line.append(": ").append(message.strip());
        return line.toString();
    }

    private static String clock(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    private static ProgressBarBuilder builder(String task, long total, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).showSpeed().setUnit(" " + unit, 1);
    }

    public synchronized void step() {
        bar.step();
    }

    public synchronized void stepTo(long done) {
        bar.stepTo(done);
    }

    /** Corrects the total once it is known better. */
    public synchronized void total(long total) {
        bar.maxHint(total);
    }

    /**
     * Shown with the next redraw or heartbeat: a detail that may be replaced before anyone reads it. Control characters
     * are escaped, as in every message here: a file name's line break or ESC sequence reached the terminal.
     */
    public synchronized void message(String message) {
        bar.setExtraMessage(" " + LogLineEscaper.escape(message));
    }

    /** Shown now: in a log as a line of its own, on a terminal on the bar. */
    public synchronized void event(String message) {
        bar.setExtraMessage(" " + LogLineEscaper.escape(message));
        if (!redrawn) bar.refresh();
    }

    @Override
    public synchronized void close() {
        bar.close();
    }
}
