package dev.moodtag.onnx;

import com.sun.jna.Native;
import org.jboss.logging.Logger;

/**
 * Keeps ONNX Runtime from sending telemetry. Since 1.29 its Linux and macOS builds carry Microsoft's 1DS telemetry
 * (onnxruntime PR 27379): when an environment is created it writes a persistent device id and an event cache under
 * {@code $HOME/.cache/Microsoft/DeveloperTools}, and a serving process looked up
 * {@code mobile.events.data.microsoft.com} within a minute (seen with strace, 2026-12-05). A product that tags
 * interviews must not report to a third party, and an edge box has no network to report to. ONNX Runtime reads
 * {@value #VARIABLE} once, when its environment is created; Java cannot change its own environment, so it is set in
 * the process's C environment through libc, before the first environment, unless the user has set it. The images,
 * the edge unit and the launcher set it too, for a start where this cannot run. libc is bound by JNA's direct
 * mapping, as Vosk binds libvosk: a native image needs only {@link LibC}'s methods registered (reflect-config and
 * jni-config), where an interface bound by {@code Native.load} would need a dynamic proxy as well.
 */
final class OrtTelemetryOptOut {

    static final String VARIABLE = "ORT_DISABLE_TELEMETRY";
    private static final Logger LOG = Logger.getLogger(OrtTelemetryOptOut.class);
    private static boolean applied;

    private OrtTelemetryOptOut() {
    }

    static final class LibC {
        private LibC() {
        }

        static native int setenv(String name, String value, int overwrite);
    }

    /** Sets {@value #VARIABLE}=1 for this process, once; a value the user set is left as it is. */
    static synchronized void apply() {
        if (applied) return;
        applied = true;
        String user = System.getenv(VARIABLE);
        if (user != null) {
            if (!"1".equals(user)) LOG.warnf("%s=%s from the environment: ONNX Runtime may send telemetry", VARIABLE, user);
            return;
        }
        try {
            Native.register(LibC.class, "c");
            if (LibC.setenv(VARIABLE, "1", 0) != 0)
                LOG.warnf("could not set %s: ONNX Runtime may send telemetry unless the environment sets it", VARIABLE);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // A native image without LibC's registration answers with an Error of its own: the opt-out must not stop
            // the product from starting (the images set the variable, so they never get here)
            LOG.warnf("could not set %s (%s): ONNX Runtime may send telemetry unless the environment sets it", VARIABLE, e);
        }
    }
}
