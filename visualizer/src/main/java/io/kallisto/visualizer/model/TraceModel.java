package io.kallisto.visualizer.model;

import io.kallisto.trace.TraceEnd;
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
 * so that ten million events take about 300 MiB and no array ever grows. Each pass decodes the
 * threads' blocks on a few threads at once, one per CPU ({@link Workers}).
 */
public final class TraceModel {
  final Path path;
  final Map<String, String> header;
  final boolean virtualClock;
  final long eventCount;
  final long firstTime;
  final long lastTime;
  final List<TraceFile.Damage> damages;
  final TraceEnd end;
  final int version;
  final boolean headerChecked;
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
  /** The part read, or null for the whole trace; see {@link #window()}. */
  private ReadWindow window;
  private long blocksRead;
  private int blockCount;

  TraceModel(Path path, Map<String, String> header, boolean virtualClock, long eventCount,
      long firstTime, long lastTime, List<TraceFile.Damage> damages, TraceEnd end, int version,
      boolean headerChecked, List<Lane> lanes, String[] strings,
      Map<Integer, Integer> laneOfDispatcher, long[] requestEnds, Series activeConnections) {
    this.path = path;
    this.header = header;
    this.virtualClock = virtualClock;
    this.eventCount = eventCount;
    this.firstTime = firstTime;
    this.lastTime = lastTime;
    this.damages = List.copyOf(damages);
    this.end = end;
    this.version = version;
    this.headerChecked = headerChecked;
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

  /**
   * Loads {@code file}; {@code progress} (may be null) hears events read over both passes, up to
   * twice the trace's event count. The passes run on a few threads (see {@link Workers}), so
   * progress may be heard on any of them, one call at a time and with counts that only grow.
   */
  public static TraceModel load(Path file, ReadProgress progress) {
    try (TraceFile trace = TraceFile.open(file)) {
      return TraceModelLoader.load(trace, progress);
    }
  }

  /**
   * Loads the part of {@code file} that {@code window} names, reading only the events blocks
   * whose time range meets it ({@link TraceFile.Verify#ON_READ}); {@code null} loads it whole.
   * Counts that need the whole trace (open connections, derived from every open and close) are
   * left out of a windowed model; {@link #windowNote()} says so.
   */
  public static TraceModel load(Path file, ReadProgress progress, ReadWindow window) {
    if (window == null) {
      return load(file, progress);
    }
    try (TraceFile trace = TraceFile.open(file, TraceFile.Verify.ON_READ)) {
      return of(trace, progress, window);
    }
  }

  /**
   * Builds the model of the part of an open trace that {@code window} names (null: all of it).
   * Open the trace with {@link TraceFile.Verify#ON_READ} for the window to spare the other
   * blocks' reads.
   */
  public static TraceModel of(TraceFile trace, ReadProgress progress, ReadWindow window) {
    TraceModel model = TraceModelLoader.load(trace, progress, window);
    model.window = window;
    model.blocksRead = trace.blocksRead();
    model.blockCount = trace.blocks().size();
    return model;
  }

  /** The part of the trace this model holds, or {@code null} for all of it. */
  public ReadWindow window() {
    return window;
  }

  /**
   * How many distinct events blocks the reader of this model read from the file (see
   * {@link TraceFile#blocksRead()}), through {@link #of(TraceFile, ReadProgress, ReadWindow)};
   * 0 when built otherwise.
   */
  public long blocksRead() {
    return blocksRead;
  }

  /** The events blocks in the file, through {@link #of(TraceFile, ReadProgress, ReadWindow)}. */
  public int blockCount() {
    return blockCount;
  }

  /**
   * For a windowed model, the line a viewer shows over it: "Showing 10.0 s to 10.2 s of 27.0 s
   * only (read 12 of 6,120 blocks); open connections are not counted: that needs the whole
   * trace." {@code null} for a whole one.
   */
  public String windowNote() {
    if (window == null) {
      return null;
    }
    long span = lastTime - firstTime;
    return String.format(java.util.Locale.ROOT, "Showing %s to %s of %s only (read %,d of %,d"
        + " blocks); open connections are not counted: that needs the whole trace.",
        TimeFormat.duration(window.from()), TimeFormat.duration(Math.min(window.to(), span)),
        TimeFormat.duration(span), blocksRead, blockCount);
  }

  /** Builds the model of an open trace. */
  public static TraceModel of(TraceFile trace) {
    return TraceModelLoader.load(trace, null);
  }

  /**
   * Builds the model of an open trace; {@code progress} (may be null) hears events read over both
   * passes, {@code 2 * trace.eventCount()} in all.
   */
  public static TraceModel of(TraceFile trace, ReadProgress progress) {
    return TraceModelLoader.load(trace, progress);
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

  /** The file's first damaged range (offset, bytes lost, reason), or {@code null}. */
  public TraceFile.Damage damage() {
    return damages.isEmpty() ? null : damages.get(0);
  }

  /** Every range of the file that could not be read and was skipped, in file order. */
  public List<TraceFile.Damage> damages() {
    return damages;
  }

  /**
   * How the recording ended (its END block): complete, or interrupted, with when and why; or
   * {@code null} for a version 1 trace or one whose writer never closed it.
   */
  public TraceEnd end() {
    return end;
  }

  /** True if the recording was cut short: a signal stopped the run, and the trace says when. */
  public boolean interrupted() {
    return end != null && end.interrupted();
  }

  /** The file's format version. */
  public int formatVersion() {
    return version;
  }

  /** True if the file's header was checked against its checksum (format version 2 on). */
  public boolean headerChecked() {
    return headerChecked;
  }

  /**
   * The one line every view shows about how the recording ended, or {@code null} when there is
   * nothing to warn about (it was complete, or a version 1 file, which does not say):
   * "Interrupted run: cut by SIGTERM after 4.4 s of 30 s; the trace holds what ran until then."
   */
  public String recordingNote() {
    if (interrupted()) {
      String how = end.describe().replaceFirst("^interrupted", "cut");
      return "Interrupted run: " + how + "; the trace holds what ran until then.";
    }
    if (end == null && headerChecked) {
      return "Not closed: the trace has no end block (its writer was killed, or the file was cut"
          + " short); it may not hold the whole run.";
    }
    return null;
  }

  /** How far the header is checked: "checked (CRC32)", or why not. */
  public String headerCheck() {
    return headerChecked ? "checked (CRC32)"
        : "no check (format version " + version + " has no header checksum)";
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
