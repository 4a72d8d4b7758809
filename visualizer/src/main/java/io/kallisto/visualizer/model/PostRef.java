package io.kallisto.visualizer.model;

/**
 * A {@code post()} call: lane {@code lane} of the model (the thread that posted), position
 * {@code post} in that lane's {@link Lane#posts()}.
 */
public record PostRef(int lane, int post) {}
