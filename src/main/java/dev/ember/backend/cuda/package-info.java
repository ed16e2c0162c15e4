/** The CUDA backend (JCuda, cuBLAS, kernels from kernels/*.cu); found at run time when a GPU is present. */
package dev.ember.backend.cuda;
