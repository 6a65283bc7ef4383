package dev.moodtag.train;

import dev.moodtag.classify.GridSearch;
import dev.moodtag.classify.SvmParams;
import dev.moodtag.support.ConsoleProgress;
import dev.moodtag.support.Stopped;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * What an experiment says while it runs, counted in LIBSVM fits (grid fits and each fold's final fit): a line per
 * scored grid point (fold i/k, point j/m, C, gamma, inner score) and per finished outer fold, and the fit under way
 * ("fitting fold 2/5 A+V, point 3/12 …, 3,000 rows…") on the bar and in every heartbeat line, so that one long fit
 * is visibly running rather than hung. Elapsed time and ETA come with the bar; the ETA assumes fits of equal cost,
 * which final fits (all rows, probability estimates) are not. It may also stop the training ({@link #stoppedBy}).
 */
public final class TrainingProgress {

    /** Before {@link #SILENT}, which is made with it. */
    private static final BooleanSupplier NEVER = () -> false;

    /** Says nothing. */
    public static final TrainingProgress SILENT = new TrainingProgress(null);

    private final ConsoleProgress console;
    private final BooleanSupplier stop;

    /** @param console where to show it; null for silence */
    public TrainingProgress(ConsoleProgress console) {
        this(console, NEVER);
    }

    private TrainingProgress(ConsoleProgress console, BooleanSupplier stop) {
        this.console = console;
        this.stop = stop;
    }

    /**
     * The same progress, which also stops the training once {@code stop} says so: asked before each LIBSVM fit (from
     * the grid search's threads too), it throws {@link Stopped} there, so the fits under way finish and no other
     * starts. A batch's self-training stops this way on Ctrl-C, where one fit is seconds and the whole a minute.
     */
    public TrainingProgress stoppedBy(BooleanSupplier stop) {
        BooleanSupplier before = this.stop;
        return new TrainingProgress(console,
                before == NEVER ? stop : () -> before.getAsBoolean() || stop.getAsBoolean());
    }

    private void goOn() {
        if (stop.getAsBoolean()) throw new Stopped("the training was stopped before its next fit");
    }

    void planned(int fits) {
        if (console != null) console.total(fits);
    }

    /** The grid search's events for the part named {@code where}, e.g. "fold 2/5 A+V". */
    GridSearch.Listener grid(String where, SelectBy selectBy) {
        if (console == null && stop == NEVER) return GridSearch.Listener.NONE;
        return new GridSearch.Listener() {
            @Override
            public void fitStarting(int point, int points, SvmParams p, int split, int splits, int rows) {
                goOn();
                if (console != null) console.event(String.format(Locale.ROOT, "fitting %s, point %d/%d (C=%g gamma=%.3g), inner split %d/%d, %,d rows…",
                        where, point, points, p.c(), p.gamma(), split, splits, rows));
            }

            @Override
            public void fitDone(int point, int points, SvmParams p, int split, int splits, double score) {
                if (console != null) console.step();
            }

            @Override
            public void pointScored(int point, int points, GridSearch.Point scored) {
                if (console != null) console.event(String.format(Locale.ROOT, "%s, point %d/%d: C=%g gamma=%.3g inner %s %.1f %%%s", where, point,
                        points, scored.c(), scored.gamma(), selectBy.option().toUpperCase(Locale.ROOT), 100 * scored.score(),
                        scored.standardError() > 0 ? String.format(Locale.ROOT, " (± %.1f)", 100 * scored.standardError()) : ""));
            }
        };
    }

    void finalFitStarting(String where, int rows, SvmParams p) {
        goOn();
        if (console != null) console.event(String.format(Locale.ROOT, "fitting %s on all its %,d training rows (C=%g gamma=%.3g%s)…",
                where, rows, p.c(), p.gamma(), p.probability() ? ", probability estimates" : ""));
    }

    void finalFitDone(String where) {
        if (console != null) console.step();
    }

    void foldDone(String where, Experiment.FoldResult r) {
        if (console != null) console.event(String.format(Locale.ROOT, "%s done: UA %.1f %%, WA %.1f %% on %,d test rows (%s)",
                where, 100 * r.metrics().ua(), 100 * r.metrics().wa(), r.testRows(), String.join("; ", r.params())));
    }
}
