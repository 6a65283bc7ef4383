package dev.moodtag.batch;

import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.fuse.GroupStandardiser;
import dev.moodtag.fuse.StandardScaler;
import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;
import dev.moodtag.label.RecordingGuard;
import dev.moodtag.label.RecordingRelabeller;
import dev.moodtag.storage.LocalFailures;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a batch's second pass keeps of its clips, with memory that grows by 12 bytes a clip: each kept clip's
 * classifier input goes to a file in the scratch space (a few kB a clip); memory holds where each record lies and
 * the first-pass label counts the guard reads. The batch's statistics are accumulated from the file in the batch's
 * order ({@link StandardScaler.Accumulator}, so they equal what {@link GroupStandardiser} fits over the same samples
 * in that order), never in the order the clips finished. A clip counts when it has every standardised block, all
 * finite ({@link RecordingRelabeller#usable}), as a timeline's segment does. The file is deleted on {@link #close()}.
 */
final class SpeechOverBatch implements AutoCloseable {

    private static final BooleanSupplier NEVER = () -> false;

    /** What the scratch file holds, as a failure of the scratch folder names it. */
    static final String WHAT = "the batch's speech (tag --speech-over-batch)";

    private final Labeller.OverRecording over;
    private final int[] blocks;
    private final List<String> classes;
    private final RecordingGuard guard;
    private final Path spill;
    private final OutputStream out;
    /** Per kept clip, in the order kept: its place in the batch, and where its record lies in the file (12 bytes a clip). */
    private int[] slots = new int[64];
    private long[] offsets = new long[65];
    private final double[] perClass;
    private double labelled;
    private int clips;
    private String broken;
    /** The batch's statistics once every clip is kept, read once for the passes over the kept clips. */
    private StandardScaler[] batchScalers;

    /** @param spill an empty file of the scratch space, deleted on {@link #close()} */
    SpeechOverBatch(Labeller.OverRecording over, List<String> classes, RecordingGuard guard, Path spill) {
        this.over = over;
        this.blocks = over.blocks();
        this.classes = classes;
        this.guard = guard;
        this.spill = spill;
        this.perClass = new double[classes.size()];
        try {
            this.out = new BufferedOutputStream(Files.newOutputStream(spill));
        } catch (IOException e) {
            delete();
            // as every other failure of the scratch folder: what it is, and for what (was the file's bare path)
            throw LocalFailures.ofScratch(e, folderOf(spill), -1, WHAT);
        }
    }

    /** A clip's classifier input, as the second pass reads it. */
    float[][] sample(UtteranceEmbeddings embeddings) {
        return over.sample(embeddings);
    }

    /**
     * Keeps a clip whose result the first pass wrote: its place in the batch, its classifier input and first-pass
     * label. Called from the batch's workers as their objects finish.
     *
     * @param object the clip's name as shown to the user, named where the scratch file fails
     *
     * @return whether it counts towards the batch (false: a block missing or not finite, or the file failed)
     */
    synchronized boolean keep(int slot, String object, float[][] sample, String firstPassLabel) {
        if (broken != null || !RecordingRelabeller.usable(sample, blocks)) return false;
        byte[] record = record(slot, firstPassLabel, sample);
        try {
            out.write(record);
        } catch (IOException e) {
            // the object under way and the folder's state in words, as every other failure of the scratch folder: was
            // the system's words alone ("No space left on device"), naming neither
            broken = "the scratch space could not keep the clips' speech: "
                    + LocalFailures.ofScratch(e, folderOf(spill), -1, object).getMessage();
            return false;
        }
        if (clips == slots.length) {
            slots = Arrays.copyOf(slots, 2 * clips);
            offsets = Arrays.copyOf(offsets, 2 * clips + 1);
        }
        slots[clips] = slot;
        offsets[clips + 1] = offsets[clips] + record.length;
        int c = classes.indexOf(firstPassLabel);
        if (c >= 0) {
            perClass[c]++;
            labelled++;
        }
        clips++;
        return true;
    }

    private static byte[] record(int slot, String firstPassLabel, float[][] sample) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            d.writeInt(slot);
            d.writeUTF(firstPassLabel);
            d.writeInt(sample.length);
            for (float[] block : sample) {
                d.writeInt(block == null ? -1 : block.length);
                if (block != null) for (float v : block) d.writeFloat(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // memory only
        }
        return bytes.toByteArray();
    }

    synchronized int clips() {
        return clips;
    }

    /** The guard's verdict on the clips kept; a batch whose file failed keeps its first pass, saying why. */
    synchronized RecordingGuard.Verdict verdict() {
        RecordingGuard.Verdict v = guard.judge(perClass, labelled, clips, classes, RecordingGuard.Scope.BATCH);
        return broken == null ? v : new RecordingGuard.Verdict(false, v.segments(), v.dominant(), v.dominantShare(), broken);
    }

    /** Told of each kept clip in the order it was kept. */
    interface Visitor {
        /** @param relabelled its labelling with its speech standardised over the batch; null when not standardised */
        void clip(int slot, String firstPassLabel, Labelling relabelled);
    }

    /**
     * Reads the kept clips back one at a time in the batch's order (not the order they finished in, which the load
     * decides); with {@code standardise}, each is labelled over the batch's statistics.
     */
    synchronized void each(boolean standardise, Visitor visitor) {
        each(standardise, over, NEVER, visitor);
    }

    /**
     * As {@link #each(boolean, Visitor)}, labelled by {@code with} (the recording parts trained again over the batch),
     * until {@code stop} says so: asked before each clip is read, so no clip is labelled or visited after it.
     *
     * @return how many clips were visited: all of them unless stopped
     */
    synchronized int each(boolean standardise, Labeller.OverRecording with, BooleanSupplier stop, Visitor visitor) {
        if (!standardise) return inBatchOrder(stop, (slot, firstPass, sample) -> visitor.clip(slot, firstPass, null));
        return eachStandardised(stop, (slot, firstPass, sample, standardised) -> visitor.clip(slot, firstPass,
                with.label(sample, standardised)));
    }

    /** Told of each kept clip, in the batch's order, with its speech standardised over the batch. */
    interface StandardisedVisitor {
        void clip(int slot, String firstPassLabel, float[][] sample, float[][] standardised);
    }

    synchronized void eachStandardised(StandardisedVisitor visitor) {
        eachStandardised(NEVER, visitor);
    }

    private int eachStandardised(BooleanSupplier stop, StandardisedVisitor visitor) {
        if (batchScalers == null) batchScalers = scalers();
        StandardScaler[] scalers = batchScalers;
        return inBatchOrder(stop, (slot, firstPass, sample) -> visitor.clip(slot, firstPass, sample,
                GroupStandardiser.standardise(sample, blocks, scalers)));
    }

    /**
     * The batch's statistics, one scaler per standardised block, accumulated in the batch's order: a running mean
     * fed the same clips in another order differs in its last bits, and so could a label near a boundary.
     */
    synchronized StandardScaler[] scalers() {
        StandardScaler.Accumulator[] stats = new StandardScaler.Accumulator[blocks.length];
        inBatchOrder(NEVER, (slot, firstPass, sample) -> {
            for (int k = 0; k < blocks.length; k++) {
                float[] v = sample[blocks[k]];
                if (stats[k] == null) stats[k] = new StandardScaler.Accumulator(v.length);
                stats[k].add(v);
            }
        });
        StandardScaler[] scalers = new StandardScaler[blocks.length];
        for (int k = 0; k < blocks.length; k++) scalers[k] = stats[k] == null ? null : stats[k].scaler();
        return scalers;
    }

    private interface Record {
        void read(int slot, String firstPassLabel, float[][] sample);
    }

    /** @return how many records were read: all of them unless {@code stop} said so before one */
    private int inBatchOrder(BooleanSupplier stop, Record visitor) {
        Integer[] order = new Integer[clips];
        for (int i = 0; i < clips; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> slots[i]));
        int read = 0;
        try {
            out.flush();
            try (FileChannel file = FileChannel.open(spill, StandardOpenOption.READ)) {
                for (int i : order) {
                    if (stop.getAsBoolean()) break;
                    ByteBuffer record = ByteBuffer.allocate(Math.toIntExact(offsets[i + 1] - offsets[i]));
                    while (record.hasRemaining())
                        if (file.read(record, offsets[i] + record.position()) < 0)
                            throw new EOFException("the batch's kept speech in " + spill + " ends early");
                    DataInputStream in = new DataInputStream(new ByteArrayInputStream(record.array()));
                    int slot = in.readInt();
                    String firstPass = in.readUTF();
                    float[][] sample = new float[in.readInt()][];
                    for (int b = 0; b < sample.length; b++) {
                        int n = in.readInt();
                        if (n < 0) continue;
                        sample[b] = new float[n];
                        for (int j = 0; j < n; j++) sample[b][j] = in.readFloat();
                    }
                    visitor.read(slot, firstPass, sample);
                    read++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the batch's kept speech cannot be read back from " + spill, e);
        }
        return read;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // deleted below either way
        }
        delete();
    }

    private static Path folderOf(Path file) {
        return file.toAbsolutePath().getParent();
    }

    private void delete() {
        try {
            Files.deleteIfExists(spill);
        } catch (IOException ignored) {
            // named for this process: the next one sweeps it
        }
    }
}
