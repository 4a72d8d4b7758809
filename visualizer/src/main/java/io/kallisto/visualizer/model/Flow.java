package io.kallisto.visualizer.model;

/**
 * An arrow from the thread that sent work to the thread that ran it: a {@code post()} and its
 * callback, or a slot update's start on the main thread and its run on a worker.
 *
 * @param fromLane the sending lane
 * @param fromIndex the send's position in the sending lane's {@link Lane#posts()} (or
 *     {@link Lane#slots()} for a slot update)
 * @param fromTime when it was sent
 * @param toLane the receiving lane
 * @param toSlice the callback slice on {@code toLane}
 * @param toTime when the callback started
 * @param wakeup for posts, whether the post wrote a wakeup (true) or found the loop awake and
 *     avoided it (false); always false for slot updates
 * @param slot true for a slot update, false for a post
 */
public record Flow(int fromLane, int fromIndex, long fromTime, int toLane, int toSlice, long toTime,
    boolean wakeup, boolean slot) {}
