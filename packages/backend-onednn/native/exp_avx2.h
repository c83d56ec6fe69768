// Exp, Sigmoid, Swish and Swish's gradient eight lanes at a time with AVX2, where the CPU has it: the same
// float32 operations in the same order as elementwise.cc's four-lane SSE2 versions (no FMA), so either path
// gives the same bits. Each function handles the first n − n mod 8 values and returns that count; the
// caller finishes the rest with its four-lane and scalar code.
#pragma once

#include <cstdint>

namespace qad {

/** Whether the eight-lane paths run: the CPU has AVX2 and {@link setWideVectors} did not turn them off. */
bool wideVectors();
/** Turns the eight-lane paths off (tests compare both) or back on where the CPU has AVX2. */
void setWideVectors(bool on);
/** Caps the eight-lane paths (the process's instruction-set cap is below AVX2): {@link setWideVectors} then
 * cannot turn them on. */
void allowWideVectors(bool allow);

int64_t expAvx2(const float* x, float* o, int64_t n);
int64_t sigmoidAvx2(const float* x, float* o, int64_t n);
int64_t swishAvx2(const float* x, float* o, int64_t n);
int64_t swishGradAvx2(const float* dy, const float* x, float* o, int64_t n);

}  // namespace qad
