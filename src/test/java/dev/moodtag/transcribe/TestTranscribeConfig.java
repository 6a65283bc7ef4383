package dev.moodtag.transcribe;

/** {@link TranscribeConfig} for plain JUnit tests: the documented defaults, each replaceable. */
record TestTranscribeConfig(boolean enabled, String language, double minMeanConfidence, double minVoicedCoverage,
                            WarmUp warmUp, double recordingMinAcceptedShare, int recordingMinSegments)
        implements TranscribeConfig {

    TestTranscribeConfig(boolean enabled, String language, double minMeanConfidence, double minVoicedCoverage,
                         WarmUp warmUp) {
        this(enabled, language, minMeanConfidence, minVoicedCoverage, warmUp, 0.5, 3);
    }

    static TestTranscribeConfig defaults() {
        return new TestTranscribeConfig(true, "en", 0.885, 0.3, WarmUp.PACK);
    }

    @Override
    public Gate gate() {
        return new Gate() {
            @Override
            public double minMeanConfidence() {
                return minMeanConfidence;
            }

            @Override
            public double minVoicedCoverage() {
                return minVoicedCoverage;
            }

            @Override
            public double recordingMinAcceptedShare() {
                return recordingMinAcceptedShare;
            }

            @Override
            public int recordingMinSegments() {
                return recordingMinSegments;
            }
        };
    }
}
