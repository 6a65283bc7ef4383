import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Removes the input symbol table from an OpenFst binary file, in place; run by the build on the Vosk model's
 * {@code graph/Gr.fst} ({@code java DropInputSymbols.java FILE}).
 *
 * <p>Why: the model's grammar carries its 152,217-word table twice, as input and as output symbols. Vosk names words
 * from the output table only (the lookahead composition with {@code HCLr.fst}, which has no tables, never asks for
 * the input one), yet reading the second table was about a fifth of loading the model, which is part of every
 * start-up. The arcs, weights and the output table are copied byte for byte, so recognition is unchanged
 * ({@code RepeatableRecognitionTest} pins its words, times and confidences).
 *
 * <p>A file without an input table is left as it is, so the build can run this on every package.
 */
public final class DropInputSymbols {

    private static final int FST_MAGIC = 2125659606;          // OpenFst's kFstMagicNumber
    private static final int SYMBOL_TABLE_MAGIC = 2125658996; // OpenFst's kSymbolTableMagicNumber
    private static final int HAS_ISYMBOLS = 0x1;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: java DropInputSymbols.java FST_FILE");
        Path file = Path.of(args[0]);
        ByteBuffer in;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            in = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (in.getInt() != FST_MAGIC) throw new IOException(file + ": not an OpenFst binary file");
        skipString(in); // FST type
        skipString(in); // arc type
        in.getInt();    // version
        int flagsAt = in.position();
        int flags = in.getInt();
        if ((flags & HAS_ISYMBOLS) == 0) {
            System.out.println(file + ": no input symbol table, left as it is");
            return;
        }
        in.position(flagsAt + 4 + 8 + 8 + 8 + 8); // properties, start, number of states, number of arcs
        int tableAt = in.position();
        skipSymbolTable(in, file);
        int tableEnd = in.position();

        Path trimmed = file.resolveSibling(file.getFileName() + ".trimmed");
        try (FileChannel out = FileChannel.open(trimmed, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = in.duplicate().position(0).limit(tableAt).slice().order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer headCopy = ByteBuffer.allocate(head.remaining()).order(ByteOrder.LITTLE_ENDIAN).put(head).flip();
            headCopy.putInt(flagsAt, flags & ~HAS_ISYMBOLS);
            write(out, headCopy);
            write(out, in.duplicate().position(tableEnd).limit(in.capacity()));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(trimmed); // a disk that filled up must not leave half a grammar beside the model
            throw e;
        }
        Files.move(trimmed, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("%s: input symbol table dropped (%d bytes)%n", file, tableEnd - tableAt);
    }

    private static void skipSymbolTable(ByteBuffer in, Path file) throws IOException {
        if (in.getInt() != SYMBOL_TABLE_MAGIC) throw new IOException(file + ": the input symbol table is not where the header says");
        skipString(in); // the table's name
        in.getLong();   // available key
        long size = in.getLong();
        for (long i = 0; i < size; i++) {
            skipString(in);
            in.getLong();
        }
    }

    private static void skipString(ByteBuffer in) {
        int length = in.getInt();
        in.position(in.position() + length);
    }

    private static void write(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) out.write(bytes);
    }
}
