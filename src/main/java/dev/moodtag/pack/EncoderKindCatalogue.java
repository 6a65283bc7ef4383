package dev.moodtag.pack;

import java.util.List;
import java.util.Optional;

/**
 * The encoder kinds a build implements and the parameter record of each, as the pack loader needs them to refuse a
 * pack it could not build. Implemented by the encode stage's registry ({@code dev.moodtag.encode.EncoderKinds}), so
 * the pack stays ignorant of encoders.
 */
public interface EncoderKindCatalogue {

    /** The record an encoder kind's {@code params} bind to; empty for a kind this build does not implement. */
    Optional<Class<?>> encoderParameters(String kind);

    /** The same for the pack's {@code vad} entry. */
    Optional<Class<?>> detectorParameters(String kind);

    List<String> encoderKinds();

    List<String> detectorKinds();
}
