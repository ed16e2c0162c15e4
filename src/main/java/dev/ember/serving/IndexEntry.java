package dev.ember.serving;

/** One row of the repository index: a model (and version, when known) with its state and, if not ready, why. */
public record IndexEntry(String name, String version, ModelState state, String reason) {}
