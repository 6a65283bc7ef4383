package dev.moodtag.encode;

import dev.moodtag.onnx.OnnxRuntime;

import java.util.Optional;

/**
 * What a factory may use to build an encoder: the ONNX Runtime and the pack's shared voice-activity detector
 * (absent when the pack has none).
 */
public record EncoderContext(OnnxRuntime onnx, Optional<SpeechActivityDetector> vad) {
}
