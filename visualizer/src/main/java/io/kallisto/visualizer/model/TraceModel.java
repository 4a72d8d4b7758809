package io.kallisto.visualizer.model;

import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.ReadProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A trace loaded for viewing: one {@link Lane} per thread, the global counters, and the facts a
 * viewer shows (file, header, damage). Immutable once loaded, so any thread may read it.
 *
 * <pre>{@code
 * TraceModel model = TraceModel.load(Path.of("demo.ktrace"));
 * for (Lane lane : model.lanes()) System.out.println(lane.name() + ": " + lane.sliceCount());
 * }</pre>
 *
 * <p>Loading reads the file twice: once to count, once to fill arrays of exactly the right size,
 * so that ten million events take a few hundred megabytes and no array ever grows.
 */
public final class TraceModel {
  final Path path;
  final Map<String, String> header;
  final boolean virtualClock;
  final long eventCount;
  final long firstTime;
  final long lastTime;
  final TraceFile.Damage damage;
  final List<Lane> lanes;
  final String[] strings;
  final Map<Integer, Integer> laneOfDispatcher;
  final long[] requestEnds;
  final Series activeConnections;
  private final List<CounterTrack> counterTracks;
  /** Built on first use: only a view that draws every post's arrow needs it. */
  private PostTargets postTargets;
  /** Built when loading ends (it names the client side's kinds), or on first use. */
  private Requests requests;

  TraceModel(Path path, Map<String, String> header, boolean virtualClock, long eventCount,
      long firstTime, long lastTime, TraceFile.Damage damage, List<Lane> lanes, String[] strings,
      Map<Integer, Integer> laneOfDispatcher, long[] requestEnds, Series activeConnections) {
    this.path = path;
    this.header = header;
    this.virtualClock = virtualClock;
    this.eventCount = eventCount;
    this.firstTime = firstTime;
    this.lastTime = lastTime;
    this.damage = damage;
    this.lanes = lanes;
    this.strings = strings;
    this.laneOfDispatcher = laneOfDispatcher;
    this.requestEnds = requestEnds;
    this.activeConnections = activeConnections;
    this.counterTracks = tracks(lanes, activeConnections);
  }

  private static List<CounterTrack> tracks(List<Lane> lanes, Series activeConnections) {
    List<CounterTrack> t = new ArrayList<>();
    for (Lane lane : lanes) {
      for (Series s : lane.counters().values()) {
        t.add(new CounterTrack(t.size(), s.name(), CounterTrack.Kind.SERIES, s, lane.index(),
            lane.name()));
      }
    }
    t.add(new CounterTrack(t.size(), "active connections", CounterTrack.Kind.CONNECTIONS,
        activeConnections, -1, ""));
    t.add(new CounterTrack(t.size(), "requests/s", CounterTrack.Kind.REQUEST_RATE, null, -1, ""));
    return Collections.unmodifiableList(t);
  }

  /**
   * Loads {@code file}.
   *
   * @throws io.kallisto.trace.TraceFormatException if it is not a trace (the message names the
   *     byte offset)
   * @throws java.io.UncheckedIOException if it cannot be read, naming it
   */
  public static TraceModel load(Path file) {
    return load(file, null);
  }

  /** Loads {@code file}; {@code progress} (may be null) hears events read over both passes. */
  public static TraceModel load(Path file, ReadProgress progress) {
    try (TraceFile trace = TraceFile.open(file)) {
      return TraceModelLoader.load(trace, progress);
    }
  }

  /** Builds the model of an open trace. */
  public static TraceModel of(TraceFile trace) {
    return TraceModelLoader.load(trace, null);
  }

  /** The file it was read from. */
  public Path path() {
    return path;
  }

  /** The header's facts. */
  public Map<String, String> header() {
    return header;
  }

  /** True for a simulated run's virtual clock. */
  public boolean virtualClock() {
    return virtualClock;
  }

  /** Events in the readable part of the file. */
  public long eventCount() {
    return eventCount;
  }

  /** The earliest time any event covers (0 when empty). */
  public long firstTime() {
    return firstTime;
  }

  /** The latest time any event covers (0 when empty). */
  public long lastTime() {
    return lastTime;
  }

  /** Where the file is damaged (offset, bytes lost, reason), or {@code null}. */
  public TraceFile.Damage damage() {
    return damage;
  }

  /** One lane per thread, in thread-id order. */
  public List<Lane> lanes() {
    return Collections.unmodifiableList(lanes);
  }

  /** The text of label {@code id} ({@code ""} for 0). */
  public String string(int id) {
    if (id > 0 && id < strings.length && strings[id] != null) {
      return strings[id];
    }
    return id == 0 ? "" : "?" + id;
  }

  /** Label ids run from 1 to this, exclusive. */
  public int stringCount() {
    return strings.length;
  }

  /** The lane of the dispatcher with trace id {@code traceId} (a post's target), or -1. */
  public int laneOfDispatcher(int traceId) {
    Integer lane = laneOfDispatcher.get(traceId);
    return lane == null ? -1 : lane;
  }

  /** Times of every request end on every thread, sorted. */
  public long[] requestEnds() {
    return requestEnds.clone();
  }

  /** Request ends in {@code [from, to)}. */
  public int requestsBetween(long from, long to) {
    return PrimitiveSort.lowerBound(requestEnds, 0, requestEnds.length, to)
        - PrimitiveSort.lowerBound(requestEnds, 0, requestEnds.length, from);
  }

  /** True if the trace records requests. */
  public boolean hasRequests() {
    return requestEnds.length > 0;
  }

  /**
   * Every counter track: each thread's counters, lane by lane, then the whole-run tracks
   * (active connections, requests per second).
   */
  public List<CounterTrack> counterTracks() {
    return counterTracks;
  }

  /** Each lane's posts by the lane they went to, built on first use. Safe from any thread. */
  public synchronized PostTargets postTargets() {
    if (postTargets == null) {
      postTargets = new PostTargets(this);
    }
    return postTargets;
  }

  /**
   * Every request with its two sides joined by id (server and client). Safe from any thread;
   * the loader builds it before the model is handed out.
   */
  public synchronized Requests requests() {
    if (requests == null) {
      requests = Requests.of(this);
    }
    return requests;
  }

  /** Connections open across all threads over time (never below 0). */
  public Series activeConnections() {
    return activeConnections;
  }

  /**
   * The first time after {@code t} at which something happens on any lane: a slice begins or
   * ends, a post, mark or slot update; or {@code t} if nothing does.
   */
  public long nextEventTime(long t) {
    long next = Long.MAX_VALUE;
    for (Lane lane : lanes) {
      next = Math.min(next, lane.nextBoundary(t));
      for (Instants in : new Instants[] {lane.posts, lane.marks, lane.slots}) {
        int k = in.firstAtOrAfter(t + 1);
        if (k < in.size()) {
          next = Math.min(next, in.time(k));
        }
      }
    }
    return next == Long.MAX_VALUE ? t : next;
  }

  /** The last time before {@code t} at which something happens, or {@code t} if nothing does. */
  public long previousEventTime(long t) {
    long prev = Long.MIN_VALUE;
    for (Lane lane : lanes) {
      prev = Math.max(prev, lane.previousBoundary(t));
      for (Instants in : new Instants[] {lane.posts, lane.marks, lane.slots}) {
        int k = in.firstAtOrAfter(t) - 1;
        if (k >= 0) {
          prev = Math.max(prev, in.time(k));
        }
      }
    }
    return prev == Long.MIN_VALUE ? t : prev;
  }

  /** The file name, for titles. */
  public String fileName() {
    Path name = path == null ? null : path.getFileName();
    return name == null ? String.valueOf(path) : name.toString();
  }
  /**
   * The file name, with " · simulated (virtual time)" when the trace was recorded on a
   * simulation's virtual clock: how every view names the trace, so a simulated run is never
   * mistaken for a real one.
   */
  public String displayName() {
    return fileName() + (virtualClock ? " · simulated (virtual time)" : "");
  }

}
