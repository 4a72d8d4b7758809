package io.kallisto.visualizer.model;

/** A slice: lane {@code lane} of the model, slice index {@code slice} on that lane. */
public record SliceRef(int lane, int slice) {}
