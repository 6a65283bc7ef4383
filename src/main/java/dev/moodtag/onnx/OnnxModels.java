package dev.moodtag.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites ONNX model bytes before ONNX Runtime loads them, at the Protocol Buffers level (no ONNX classes needed).
 *
 * <p>Some exported models list their weights (initializers) among the graph's inputs too, which in ONNX means "a
 * default the caller may override". ONNX Runtime then cannot treat them as constants, so it folds nothing, not even
 * batch normalisation into the convolutions before it. moodtag never feeds those inputs, so they are dropped from the
 * input list: the weights stay and the model computes the same function. UltraFace, the default face detector,
 * lists all 244 of its weights this way; without them it ran 2.2× faster (6.6 → 3.0 ms per frame, one thread),
 * with outputs within 4e-7 of before.
 */
public final class OnnxModels {
    // Field numbers from onnx.proto.
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int TENSOR_NAME = 8;
    private static final int VALUE_INFO_NAME = 1;

    private OnnxModels() {
    }

    /** The result of {@link #withWeightsNotInputs}: the bytes to load, and how many inputs were dropped. */
    public record Rewritten(byte[] model, int droppedInputs) {
    }

    /** The model with its initializers removed from the graph's inputs; the same array when there were none. */
    public static Rewritten withWeightsNotInputs(byte[] model) {
        try {
            Set<String> weights = new HashSet<>();
            Set<String> inputs = new HashSet<>();
            scanGraph(model, weights, inputs);
            inputs.retainAll(weights);
            if (inputs.isEmpty()) return new Rewritten(model, 0);

            ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.length);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            CodedInputStream top = CodedInputStream.newInstance(model);
            for (int tag; (tag = top.readTag()) != 0; ) {
                if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
                    ByteString graph = copyWithout(top.readBytes().newCodedInput(), (field, value) ->
                            field == GRAPH_INPUT && inputs.contains(name(value.newCodedInput(), VALUE_INFO_NAME)));
                    out.writeBytes(MODEL_GRAPH, graph);
                } else {
                    top.skipField(tag, out);
                }
            }
            out.flush();
            return new Rewritten(bytes.toByteArray(), inputs.size());
        } catch (IOException e) {
            // Not valid protobuf: leave it to ONNX Runtime to say what is wrong with the file.
            return new Rewritten(model, 0);
        }
    }

    /** The names of the graph's initializers and inputs, read in place: a model of gigabytes is not copied. */
    private static void scanGraph(byte[] model, Set<String> weights, Set<String> inputs) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(model);
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) != MODEL_GRAPH || !lengthDelimited(tag)) {
                in.skipField(tag);
                continue;
            }
            int graphEnd = in.pushLimit(in.readRawVarint32());
            for (int g; (g = in.readTag()) != 0; ) {
                int field = WireFormat.getTagFieldNumber(g);
                if ((field == GRAPH_INITIALIZER || field == GRAPH_INPUT) && lengthDelimited(g)) {
                    int end = in.pushLimit(in.readRawVarint32());
                    String name = name(in, field == GRAPH_INITIALIZER ? TENSOR_NAME : VALUE_INFO_NAME);
                    in.skipRawBytes(in.getBytesUntilLimit());
                    in.popLimit(end);
                    if (name != null) (field == GRAPH_INITIALIZER ? weights : inputs).add(name);
                } else {
                    in.skipField(g);
                }
            }
            in.popLimit(graphEnd);
        }
    }

    private static boolean lengthDelimited(int tag) {
        return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /** The string field with this number in the message being read (up to its limit), or null. */
    private static String name(CodedInputStream in, int number) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) == number && lengthDelimited(tag)) return in.readStringRequireUtf8();
            in.skipField(tag);
        }
        return null;
    }

    private interface Drop {
        boolean test(int field, ByteString value) throws IOException;
    }

    /** The message's fields in order, without the length-delimited ones {@code drop} picks. */
    private static ByteString copyWithout(CodedInputStream in, Drop drop) throws IOException {
        ByteString.Output bytes = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                ByteString value = in.readBytes();
                if (!drop.test(WireFormat.getTagFieldNumber(tag), value))
                    out.writeBytes(WireFormat.getTagFieldNumber(tag), value);
            } else {
                in.skipField(tag, out);
            }
        }
        out.flush();
        return bytes.toByteString();
    }
}
