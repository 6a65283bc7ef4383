import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Rewrites the Vosk model's grammar ({@code graph/Gr.fst}, an OpenFst {@code ngram} FST) as a {@code const} FST with
 * the same states, arcs, weights and output symbol table, in place; run by the build
 * ({@code java GrammarToConstFst.java FILE}).
 *
 * <p>Why: every fresh recogniser expands its own lookahead composition of {@code HCLr.fst} with this grammar, and
 * that expansion is most of what recognising a short clip costs. The {@code ngram} type stores the language model as
 * LOUDS bitmaps, so each arc it hands out is computed again (rank and select over the bitmaps, a walk down the context
 * tree for the next state); a {@code const} FST stores the arcs themselves. Same graph, same arc order, same state
 * numbers, so recognition is the same to the digit ({@code RepeatableRecognitionTest} pins words, times and
 * confidences); only the time to expand it changes. The file is about twice as large (39 MB against 21 MB).
 *
 * <p>The input symbol table is not written: the grammar carries its 152,217-word table twice, and Vosk names words
 * from the output table only (reading the second table was a fifth of loading the model). A file that is already
 * {@code const} is left as it is, so the build can run this on every package.
 *
 * <p>The {@code ngram} layout read here is OpenFst's {@code NGramFstImpl} (file version 4): three counts, the context,
 * future and final bitmaps, context and future words, then backoff, final and future weights.
 */
public final class GrammarToConstFst {

    private static final int FST_MAGIC = 2125659606;          // OpenFst's kFstMagicNumber
    private static final int SYMBOL_TABLE_MAGIC = 2125658996; // OpenFst's kSymbolTableMagicNumber
    private static final int HAS_ISYMBOLS = 0x1;
    private static final int HAS_OSYMBOLS = 0x2;
    private static final int IS_ALIGNED = 0x4;
    private static final int NGRAM_VERSION = 4;
    private static final int CONST_VERSION = 2;   // ConstFst's unaligned file version
    private static final int STATE_BYTES = 20;    // final weight, first arc, arcs, input and output epsilons
    private static final int ARC_BYTES = 16;      // input label, output label, weight, next state

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: java GrammarToConstFst.java FST_FILE");
        Path file = Path.of(args[0]);
        ByteBuffer in;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            in = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (in.remaining() < 4 || in.getInt() != FST_MAGIC) throw new IOException(file + ": not an OpenFst binary file");
        String type = string(in, file);
        String arcType = string(in, file);
        if (type.equals("const")) {
            System.out.println(file + ": already a const FST, left as it is");
            return;
        }
        if (!type.equals("ngram") || !arcType.equals("standard")) {
            throw new IOException(file + ": a " + type + " FST of " + arcType + " arcs; only ngram FSTs of standard arcs are converted");
        }
        int version = in.getInt();
        if (version != NGRAM_VERSION) throw new IOException(file + ": ngram file version " + version + ", expected " + NGRAM_VERSION);
        int flags = in.getInt();
        long properties = in.getLong();
        long start = in.getLong();
        in.getLong(); // states (the body's count is the one used)
        in.getLong(); // arcs (an ngram FST does not record them)
        if ((flags & HAS_ISYMBOLS) != 0) skipSymbolTable(in, file, "input");
        ByteBuffer outputTable = null;
        if ((flags & HAS_OSYMBOLS) != 0) {
            int at = in.position();
            skipSymbolTable(in, file, "output");
            outputTable = in.duplicate().position(at).limit(in.position()).slice();
        }
        if ((flags & IS_ALIGNED) != 0) throw new IOException(file + ": an aligned ngram file, which this does not read");

        NGram lm = new NGram(in.slice().order(ByteOrder.LITTLE_ENDIAN), file);
        if (start != 1) throw new IOException(file + ": the start state is " + start + ", an ngram FST starts at 1");

        Path converted = file.resolveSibling(file.getFileName() + ".const");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(converted), 1 << 20)) {
            lm.writeConst(out, properties, outputTable);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(converted); // a disk that filled up must not leave half a grammar beside the model
            throw e;
        }
        Files.move(converted, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("%s: ngram FST rewritten as a const FST (%d states, %d arcs)%n", file, lm.states, lm.arcCount());
    }

    /** The LOUDS language model, read as {@code NGramFstImpl::Init} lays it out. */
    private static final class NGram {
        final int states;
        final int futures;
        final Bitmap context;
        final Bitmap future;
        final Bitmap finals;
        final IntBuffer contextWords;
        final IntBuffer futureWords;
        final FloatBuffer backoff;
        final FloatBuffer finalWeights;
        final FloatBuffer futureWeights;
        final int rootChildren;    // index in contextWords of the unigram state's first child
        final int rootChildCount;

        private NGram(ByteBuffer data, Path file) throws IOException {
            long numStates = data.getLong();
            long numFutures = data.getLong();
            long numFinal = data.getLong();
            if (numStates < 2 || numStates > Integer.MAX_VALUE / 2 || numFutures < 0 || numFutures > Integer.MAX_VALUE / 2
                    || numFinal < 0 || numFinal > numStates) {
                throw new IOException(file + ": implausible counts (" + numStates + " states, " + numFutures + " futures, " + numFinal + " final)");
            }
            states = (int) numStates;
            futures = (int) numFutures;
            int finalCount = (int) numFinal;
            long need = 24L + 8L * (words(2L * states + 1) + words((long) futures + states + 1) + words(states))
                    + 4L * (states + 1) + 4L * futures;
            need = (need + 3) & ~3L;
            need += 4L * (states + 1) + 4L * finalCount + 4L * (futures + 1);
            if (data.capacity() < need) throw new IOException(file + ": truncated (" + data.capacity() + " bytes of body, " + need + " needed)");
            context = new Bitmap(data, 2 * states + 1);
            future = new Bitmap(data, futures + states + 1);
            finals = new Bitmap(data, states);
            contextWords = ints(data, states + 1);
            futureWords = ints(data, futures);
            data.position((data.position() + 3) & ~3);
            backoff = floats(data, states + 1);
            finalWeights = floats(data, finalCount);
            futureWeights = floats(data, futures + 1);

            long[] root = context.select0s(0);
            if (context.rank1(0) != 0 || root[0] != 1 || !context.get(2)) throw new IOException(file + ": malformed ngram FST");
            rootChildren = context.rank1(2);
            rootChildCount = (int) root[1] - 2;
            if (finals.ones() != finalCount || future.ones() != futures || context.ones() != states) {
                throw new IOException(file + ": the bitmaps do not match the counts");
            }
        }

        long arcCount() {
            return futures + (states - 1L); // every state but the unigram one has a backoff arc
        }

        void writeConst(OutputStream out, long properties, ByteBuffer outputTable) throws IOException {
            ByteBuffer head = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
            head.putInt(FST_MAGIC);
            putString(head, "const");
            putString(head, "standard");
            head.putInt(CONST_VERSION).putInt(outputTable == null ? 0 : HAS_OSYMBOLS)
                    .putLong(properties).putLong(1).putLong(states).putLong(arcCount());
            out.write(head.array(), 0, head.position());
            if (outputTable != null) {
                byte[] table = new byte[outputTable.remaining()];
                outputTable.duplicate().get(table);
                out.write(table);
            }

            ByteBuffer state = ByteBuffer.allocate(STATE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            long firstArc = 0;
            for (int s = 0; s < states; s++) {
                long[] zeros = future.select0s(s);
                int count = (int) (zeros[1] - zeros[0] - 1);
                int backoffArcs = s == 0 ? 0 : 1;
                state.clear();
                state.putFloat(finals.get(s) ? finalWeights.get(finals.rank1(s)) : Float.POSITIVE_INFINITY)
                        .putInt((int) firstArc).putInt(count + backoffArcs).putInt(backoffArcs).putInt(backoffArcs);
                out.write(state.array());
                firstArc += count + backoffArcs;
            }
            if (firstArc != arcCount()) throw new IOException("counted " + firstArc + " arcs, expected " + arcCount());

            ByteBuffer arc = ByteBuffer.allocate(ARC_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int[] history = new int[64];
            for (int s = 0; s < states; s++) {
                long[] zeros = future.select0s(s);
                int count = (int) (zeros[1] - zeros[0] - 1);
                int offset = future.rank1(zeros[0] + 1);
                long node = context.select1(s);
                int historyLength = 0;
                if (node != 0) {
                    arc.clear();
                    arc.putInt(0).putInt(0).putFloat(backoff.get(s)).putInt(backoffState(node));
                    out.write(arc.array());
                    for (long n = node; n != 0; n = context.select1(context.rank0(n) - 1)) {
                        // No context is longer than the tree is deep: a corrupt tree must not walk in circles.
                        if (historyLength == states) throw new IOException("the context tree does not reach its root from state " + s);
                        if (historyLength == history.length) history = java.util.Arrays.copyOf(history, 2 * history.length);
                        history[historyLength++] = contextWords.get(context.rank1(n));
                    }
                }
                for (int i = 0; i < count; i++) {
                    int label = futureWords.get(offset + i);
                    arc.clear();
                    arc.putInt(label).putInt(label).putFloat(futureWeights.get(offset + i))
                            .putInt(transition(history, historyLength, label));
                    out.write(arc.array());
                }
            }
        }

        private int backoffState(long node) {
            return context.rank1(context.select1(context.rank0(node) - 1));
        }

        /** {@code NGramFstImpl::Transition}: the longest context that the history followed by {@code label} has. */
        private int transition(int[] history, int historyLength, int label) {
            int loc = find(contextWords, rootChildren, rootChildCount, label);
            if (loc < 0) return context.rank1(0);
            long node = 2 + loc;
            int nodeRank = context.rank1(node);
            long[] zeros = context.select0s(nodeRank);
            long firstChild = zeros[0] + 1;
            if (!context.get(firstChild)) return context.rank1(node);
            long lastChild = zeros[1] - 1;
            for (int word = historyLength - 1; word >= 0; word--) {
                int children = context.rank1(firstChild);
                loc = find(contextWords, children, (int) (lastChild - firstChild + 1), history[word]);
                if (loc < 0) break;
                node = firstChild + loc;
                nodeRank = context.rank1(node);
                zeros = context.select0s(nodeRank);
                firstChild = zeros[0] + 1;
                if (!context.get(firstChild)) break;
                lastChild = zeros[1] - 1;
            }
            return context.rank1(node);
        }

        /** The index of {@code label} among {@code count} sorted labels from {@code from}, or -1. */
        private static int find(IntBuffer labels, int from, int count, int label) {
            int lo = 0;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (labels.get(from + mid) < label) lo = mid + 1;
                else hi = mid;
            }
            return lo < count && labels.get(from + lo) == label ? lo : -1;
        }
    }

    /** A bitmap with OpenFst {@code BitmapIndex} semantics: rank over {@code [0, end)}, select of the i-th bit (from 0). */
    private static final class Bitmap {
        final long[] bits;
        final long size;
        final int[] rankBefore; // ones before each 64-bit word
        final int[] onePositions;
        final int[] zeroPositions;

        Bitmap(ByteBuffer data, long size) {
            this.size = size;
            bits = new long[(int) words(size)];
            for (int i = 0; i < bits.length; i++) bits[i] = data.getLong();
            if (size % 64 != 0 && bits.length > 0) bits[bits.length - 1] &= (1L << (size % 64)) - 1;
            rankBefore = new int[bits.length + 1];
            for (int i = 0; i < bits.length; i++) rankBefore[i + 1] = rankBefore[i] + Long.bitCount(bits[i]);
            int ones = rankBefore[bits.length];
            onePositions = new int[ones];
            zeroPositions = new int[(int) (size - ones)];
            int o = 0;
            int z = 0;
            for (long p = 0; p < size; p++) {
                if (get(p)) onePositions[o++] = (int) p;
                else zeroPositions[z++] = (int) p;
            }
        }

        boolean get(long p) {
            return (bits[(int) (p >>> 6)] >>> (p & 63) & 1L) != 0;
        }

        int ones() {
            return onePositions.length;
        }

        int rank1(long end) {
            int word = (int) (end >>> 6);
            int rank = rankBefore[word];
            if ((end & 63) != 0) rank += Long.bitCount(bits[word] & ((1L << (end & 63)) - 1));
            return rank;
        }

        long rank0(long end) {
            return end - rank1(end);
        }

        long select1(long i) {
            return onePositions[(int) i];
        }

        /** The positions of the i-th and (i+1)-th zero bits; the second is the size if there is none. */
        long[] select0s(long i) {
            long first = i < zeroPositions.length ? zeroPositions[(int) i] : size;
            long second = i + 1 < zeroPositions.length ? zeroPositions[(int) (i + 1)] : size;
            return new long[] {first, second};
        }
    }

    private static long words(long bits) {
        return (bits + 63) >>> 6;
    }

    private static IntBuffer ints(ByteBuffer data, int count) {
        IntBuffer view = data.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().limit(count).slice();
        data.position(data.position() + 4 * count);
        return view;
    }

    private static FloatBuffer floats(ByteBuffer data, int count) {
        FloatBuffer view = data.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().limit(count).slice();
        data.position(data.position() + 4 * count);
        return view;
    }

    private static void skipSymbolTable(ByteBuffer in, Path file, String which) throws IOException {
        if (in.getInt() != SYMBOL_TABLE_MAGIC) throw new IOException(file + ": the " + which + " symbol table is not where the header says");
        string(in, file); // the table's name
        in.getLong();     // available key
        long size = in.getLong();
        for (long i = 0; i < size; i++) {
            string(in, file);
            in.getLong();
        }
    }

    private static String string(ByteBuffer in, Path file) throws IOException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) throw new IOException(file + ": a string of " + length + " bytes at " + (in.position() - 4));
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }
}
