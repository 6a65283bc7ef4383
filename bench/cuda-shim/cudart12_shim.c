/*
 * Four CUDA runtime 12.8 entry points, for a bench that must run onnxruntime_gpu (built against CUDA >= 12.8) on
 * the newest CUDA 12 runtime that the project's registries hold (12.6, org.bytedeco:cuda redist). Each forwards to
 * the driver API call that the runtime itself wraps; the handle types are interchangeable by CUDA's definition
 * (cudaLibrary_t = CUlibrary, cudaKernel_t = CUkernel), and so are the error codes the calls return here.
 * Exported under the version node libcudart.so.12, as the provider asks for them; loaded with LD_PRELOAD by
 * bench/gpu-check.sh only. A production image carries a CUDA >= 12.8 runtime instead (deploy/README.md).
 */
#include <dlfcn.h>
#include <stddef.h>

typedef int result_t;
typedef void *handle_t;

static void *driver(const char *name) {
    static void *lib;
    if (!lib) lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    return lib ? dlsym(lib, name) : NULL;
}

#define NOT_FOUND 500 /* cudaErrorSymbolNotFound */

result_t cudaLibraryLoadData(handle_t *library, const void *code, void *jit_options, void **jit_values,
                             unsigned jit_count, void *library_options, void **library_values, unsigned library_count) {
    result_t (*f)(handle_t *, const void *, void *, void **, unsigned, void *, void **, unsigned) =
        driver("cuLibraryLoadData");
    return f ? f(library, code, jit_options, jit_values, jit_count, library_options, library_values, library_count)
             : NOT_FOUND;
}

result_t cudaLibraryUnload(handle_t library) {
    result_t (*f)(handle_t) = driver("cuLibraryUnload");
    return f ? f(library) : NOT_FOUND;
}

result_t cudaLibraryGetKernel(handle_t *kernel, handle_t library, const char *name) {
    result_t (*f)(handle_t *, handle_t, const char *) = driver("cuLibraryGetKernel");
    return f ? f(kernel, library, name) : NOT_FOUND;
}

/* cudaFuncAttribute and CUfunction_attribute number the settable attributes alike (8: max dynamic shared memory,
 * 9: preferred carveout, ...); the runtime's device ordinal becomes the driver's CUdevice through cuDeviceGet. */
result_t cudaKernelSetAttributeForDevice(handle_t kernel, int attribute, int value, int device) {
    result_t (*get)(int *, int) = driver("cuDeviceGet");
    result_t (*f)(int, int, handle_t, int) = driver("cuKernelSetAttribute");
    if (!get || !f) return NOT_FOUND;
    int dev;
    result_t r = get(&dev, device);
    return r ? r : f(attribute, value, kernel, dev);
}
