package io.kallisto.visualizer.model;

/**
 * One counter track: a counter a thread recorded (its queue depth, its open connections, any
 * {@code Tracing.counter}), or one of the two whole-run tracks (active connections over all
 * threads, requests per second). A thread's tracks are shown under its lane; whole-run tracks
 * after the last lane.
 *
 * @param index this track's position in {@link TraceModel#counterTracks()}
 * @param name the counter's own name, e.g. {@code queue depth}
 * @param kind what the track draws
 * @param series the samples ({@code null} for the request rate, which is computed per view)
 * @param lane the lane of the thread that recorded it, or -1 for a whole-run track
 * @param threadName that thread's name ({@code ""} for a whole-run track)
 */
public record CounterTrack(int index, String name, Kind kind, Series series, int lane,
    String threadName) {
  /** What a counter track draws. */
  public enum Kind {
    /** A counter a thread sampled, such as its queue depth. */
    SERIES,
    /** Connections open across all threads. */
    CONNECTIONS,
    /** Request ends per second. */
    REQUEST_RATE
  }

  /** The full name: {@code queue depth · worker-0}, or the name alone for a whole-run track. */
  public String title() {
    return lane < 0 ? name : name + " · " + threadName;
  }

  /** True for the tracks that belong to no thread. */
  public boolean wholeRun() {
    return lane < 0;
  }
}
