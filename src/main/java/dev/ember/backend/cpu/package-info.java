/** The CPU backend: heap-array storage, Vector API kernels and BLAS-backed matmul. */
package dev.ember.backend.cpu;
