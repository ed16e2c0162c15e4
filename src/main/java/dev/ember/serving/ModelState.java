package dev.ember.serving;

/** A model version's state as the repository index reports it (Triton's state strings). */
public enum ModelState { READY, LOADING, UNLOADING, UNAVAILABLE }
