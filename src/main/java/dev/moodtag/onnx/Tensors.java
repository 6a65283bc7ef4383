package dev.moodtag.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * Tensor plumbing shared by the encoders. Inputs are built on direct buffers, which ONNX Runtime uses without
 * another copy; outputs are read flat through their buffer rather than as nested Java arrays.
 */
public final class Tensors {
    private Tensors() {
    }

    /** A flat float output with its shape. */
    public record FloatOutput(float[] data, long[] shape) {
        /** Product of the dimensions after the first {@code skip}. */
        public int stride(int skip) {
            long n = 1;
            for (int i = skip; i < shape.length; i++) n *= shape[i];
            return (int) n;
        }
    }

    public static OnnxTensor floats(OrtEnvironment env, float[] data, long... shape) throws OrtException {
        FloatBuffer buf = ByteBuffer.allocateDirect(data.length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        buf.put(data).rewind();
        return OnnxTensor.createTensor(env, buf, shape);
    }

    public static OnnxTensor longs(OrtEnvironment env, long[] data, long... shape) throws OrtException {
        LongBuffer buf = ByteBuffer.allocateDirect(data.length * Long.BYTES).order(ByteOrder.nativeOrder())
                .asLongBuffer();
        buf.put(data).rewind();
        return OnnxTensor.createTensor(env, buf, shape);
    }

    /** Reads a float output by name; fails with the session's actual output names when it is absent. */
    public static FloatOutput output(OrtSession.Result result, String name) throws OrtException {
        OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("model has no output '" + name
                + "'; check the encoder's 'outputs' in the pack manifest"));
        OnnxTensor t = (OnnxTensor) v;
        long[] shape = ((TensorInfo) t.getInfo()).getShape();
        FloatBuffer fb = t.getFloatBuffer();
        float[] data = new float[fb.remaining()];
        fb.get(data);
        return new FloatOutput(data, shape);
    }
}
