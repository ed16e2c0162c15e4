package dev.ember.autograd;

/** Where a gradient goes: input {@code inputNr} of {@code node} (PyTorch's {@code next_functions} entries). */
public record Edge(Node node, int inputNr) {}
