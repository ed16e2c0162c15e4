/** Model files: PyTorch .pt (restricted unpickler) and safetensors in and out, and the model.json spec. */
package dev.ember.io;
