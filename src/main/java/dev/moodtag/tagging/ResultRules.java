package dev.moodtag.tagging;

/**
 * What differs between the callers of {@link Recognizer} in how a result is written and explained.
 *
 * @param holdErrors whether a result with status {@code error} is handed back ({@code held}) instead of written: the
 *                   watch mode's file may still be growing (a recorder that paused), and a truncated file is exactly
 *                   what such a file looks like, so its error is not final until the file has been stable longer
 * @param redoHint   how this caller's user asks for a redo of an object that already has a result
 * @param changedFails whether an object that changed while it was tagged failed, rather than was skipped: an event's
 *                   new version comes with an event of its own, and the watch looks at a changed file again, but
 *                   nothing tags a batch's object again until the batch is run again
 * @param found      whether the object was found (a folder walked, a prefix listed, an event, an inbox) rather than
 *                   named by the user: a name that source code shares with media ({@link ObjectFilter#byContent}) is
 *                   then tagged only where its bytes are media, as the TypeScript of a web project is not
 */
public record ResultRules(boolean holdErrors, String redoHint, boolean changedFails, boolean found) {

    /** Storage events and {@code POST /recognize}. */
    public static final ResultRules EVENT = new ResultRules(false, "send \"force\": true to redo it", false, true);
    /** {@code moodtag tag} on what a folder or prefix holds. */
    public static final ResultRules BATCH = new ResultRules(false, "run with --force to redo it", true, true);
    /** {@code moodtag tag} on a file or manifest row the user named. */
    public static final ResultRules BATCH_NAMED = new ResultRules(false, BATCH.redoHint(), true, false);

    /** {@code moodtag watch}: the file is tagged again whenever it changes. */
    public static ResultRules watch(boolean holdErrors) {
        return new ResultRules(holdErrors, "change the file to redo it", false, true);
    }
}
