package io.kallisto.trace.export;

import static io.kallisto.trace.export.PerfettoTraceDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.kallisto.trace.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a Perfetto export with protobuf-java's {@link CodedInputStream} and the field numbers
 * of {@link PerfettoTraceDescriptor} (read independently of the writer: field by field, skipping
 * what it does not know), and checks what issue 18 asks of it.
 */
public final class PerfettoTraceCheck {
  /** One decoded track event. */
  public static final class Event {
    public long time = -1;
    public int type;
    public long track;
    public String name;
    public String category;
    public final List<Long> flows = new ArrayList<>();
    public final List<Long> terminating = new ArrayList<>();
    public final Map<String, Object> annotations = new HashMap<>();
    public Long counter;
  }

  /** One decoded track descriptor. */
  public static final class Track {
    public long uuid;
    public long parent;
    public String name;
    public String threadName;
    public long tid = -1;
    public String processName;
    public boolean counter;
  }

  public final List<Event> events = new ArrayList<>();
  public final Map<Long, Track> tracks = new HashMap<>();
  public int clockSnapshots;
  public int primaryClock = -1;
  public int defaultClock = -1;
  private final Map<Long, String> names = new HashMap<>();
  private final Map<Long, String> categories = new HashMap<>();
  private final Map<Long, String> annotationNames = new HashMap<>();
  private boolean cleared;

  /** Decodes {@code file}, failing on an iid used before its definition. */
  public PerfettoTraceCheck(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream trace = CodedInputStream.newInstance(in);
      trace.setSizeLimit(Integer.MAX_VALUE);
      while (!trace.isAtEnd()) {
        int tag = trace.readTag();
        assertEquals(TRACE_PACKET, WireFormat.getTagFieldNumber(tag), "Trace holds packets only");
        packet(CodedInputStream.newInstance(trace.readByteArray()));
      }
    }
  }

  private void packet(CodedInputStream p) throws IOException {
    long time = -1;
    byte[] event = null;
    byte[] internedData = null;
    int sequence = -1;
    int flags = 0;
    while (!p.isAtEnd()) {
      int tag = p.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case PACKET_TIMESTAMP -> time = p.readUInt64();
        case PACKET_SEQUENCE_ID -> sequence = p.readUInt32();
        case PACKET_SEQUENCE_FLAGS -> flags = p.readUInt32();
        case PACKET_TRACK_EVENT -> event = p.readByteArray();
        case PACKET_INTERNED_DATA -> internedData = p.readByteArray();
        case PACKET_TRACK_DESCRIPTOR -> descriptor(CodedInputStream.newInstance(p.readByteArray()));
        case PACKET_CLOCK_SNAPSHOT -> clock(CodedInputStream.newInstance(p.readByteArray()));
        case PACKET_DEFAULTS -> defaults(CodedInputStream.newInstance(p.readByteArray()));
        default -> p.skipField(tag);
      }
    }
    assertEquals(PerfettoTraceExporter.SEQUENCE_ID, sequence, "one packet sequence");
    if ((flags & SEQ_INCREMENTAL_STATE_CLEARED) != 0) {
      cleared = true;
    }
    if (internedData != null) {
      assertTrue(cleared, "interned data after the state was cleared");
      interned(CodedInputStream.newInstance(internedData));
    }
    if (event != null) {
      assertTrue(cleared && (flags & SEQ_NEEDS_INCREMENTAL_STATE) != 0,
          "an event that uses interned names says it needs the sequence's state");
      Event e = event(CodedInputStream.newInstance(event));
      e.time = time;
      events.add(e);
    }
  }

  private void interned(CodedInputStream in) throws IOException {
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      Map<Long, String> table = switch (WireFormat.getTagFieldNumber(tag)) {
        case INTERNED_EVENT_NAMES -> names;
        case INTERNED_EVENT_CATEGORIES -> categories;
        case INTERNED_DEBUG_ANNOTATION_NAMES -> annotationNames;
        default -> null;
      };
      if (table == null) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream entry = CodedInputStream.newInstance(in.readByteArray());
      long iid = 0;
      String name = null;
      while (!entry.isAtEnd()) {
        int t = entry.readTag();
        switch (WireFormat.getTagFieldNumber(t)) {
          case INTERNED_IID -> iid = entry.readUInt64();
          case INTERNED_NAME -> name = entry.readString();
          default -> entry.skipField(t);
        }
      }
      assertTrue(iid > 0 && name != null, "an interned entry has an iid and a name");
      String before = table.put(iid, name);
      assertTrue(before == null || before.equals(name), "iid " + iid + " redefined");
    }
  }

  private Event event(CodedInputStream in) throws IOException {
    Event e = new Event();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case EVENT_TYPE -> e.type = in.readEnum();
        case EVENT_TRACK_UUID -> e.track = in.readUInt64();
        case EVENT_NAME_IID -> e.name = resolve(names, in.readUInt64(), "event name");
        case EVENT_CATEGORY_IIDS -> e.category = resolve(categories, in.readUInt64(), "category");
        case EVENT_COUNTER_VALUE -> e.counter = in.readInt64();
        case EVENT_FLOW_IDS -> e.flows.add(in.readFixed64());
        case EVENT_TERMINATING_FLOW_IDS -> e.terminating.add(in.readFixed64());
        case EVENT_DEBUG_ANNOTATIONS -> annotation(CodedInputStream.newInstance(in.readByteArray()),
            e);
        default -> in.skipField(tag);
      }
    }
    return e;
  }

  private void annotation(CodedInputStream in, Event e) throws IOException {
    String name = null;
    Object value = null;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case ANNOTATION_NAME_IID -> name = resolve(annotationNames, in.readUInt64(), "annotation");
        case ANNOTATION_NAME -> name = in.readString();
        case ANNOTATION_INT -> value = in.readInt64();
        case ANNOTATION_BOOL -> value = in.readBool();
        case ANNOTATION_STRING -> value = in.readString();
        default -> in.skipField(tag);
      }
    }
    assertNotNull(name, "an annotation has a name");
    e.annotations.put(name, value);
  }

  private static String resolve(Map<Long, String> table, long iid, String what) {
    String s = table.get(iid);
    if (s == null) {
      fail(what + " iid " + iid + " is used before it is interned");
    }
    return s;
  }

  private void descriptor(CodedInputStream in) throws IOException {
    Track t = new Track();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case TRACK_UUID -> t.uuid = in.readUInt64();
        case TRACK_PARENT_UUID -> t.parent = in.readUInt64();
        case TRACK_NAME -> t.name = in.readString();
        case TRACK_COUNTER -> {
          in.skipField(tag);
          t.counter = true;
        }
        case TRACK_THREAD -> {
          CodedInputStream d = CodedInputStream.newInstance(in.readByteArray());
          while (!d.isAtEnd()) {
            int x = d.readTag();
            switch (WireFormat.getTagFieldNumber(x)) {
              case THREAD_TID -> t.tid = d.readInt64();
              case THREAD_NAME -> t.threadName = d.readString();
              default -> d.skipField(x);
            }
          }
        }
        case TRACK_PROCESS -> {
          CodedInputStream d = CodedInputStream.newInstance(in.readByteArray());
          while (!d.isAtEnd()) {
            int x = d.readTag();
            if (WireFormat.getTagFieldNumber(x) == PROCESS_NAME) {
              t.processName = d.readString();
            } else {
              d.skipField(x);
            }
          }
        }
        default -> in.skipField(tag);
      }
    }
    assertTrue(t.uuid != 0, "a track has a uuid");
    assertTrue(tracks.put(t.uuid, t) == null, "track " + t.uuid + " described once");
  }

  private void clock(CodedInputStream in) throws IOException {
    clockSnapshots++;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) == CLOCK_SNAPSHOT_PRIMARY_TRACE_CLOCK) {
        primaryClock = in.readEnum();
      } else {
        in.skipField(tag);
      }
    }
  }

  private void defaults(CodedInputStream in) throws IOException {
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) == DEFAULTS_TIMESTAMP_CLOCK_ID) {
        defaultClock = in.readUInt32();
      } else {
        in.skipField(tag);
      }
    }
  }

  // ---- checks --------------------------------------------------------------------------------

  /** Every event is on a described track, and timestamps are on the one declared clock. */
  public void everyEventIsOnADescribedTrackAndClock() {
    assertEquals(1, clockSnapshots);
    assertEquals(BUILTIN_CLOCK_MONOTONIC, primaryClock);
    assertEquals(BUILTIN_CLOCK_MONOTONIC, defaultClock);
    for (Event e : events) {
      assertTrue(tracks.containsKey(e.track), "track " + e.track + " is described");
      assertTrue(e.time >= 0, "every event has a timestamp");
    }
  }

  /**
   * Every slice begin has its end on the same track, properly nested, once each track's events
   * are put in time order as a reader sorts them (stable for equal times).
   */
  public long everyBeginHasItsEndOnItsTrack() {
    Map<Long, List<Event>> byTrack = new HashMap<>();
    for (Event e : events) {
      if (e.type == TYPE_SLICE_BEGIN || e.type == TYPE_SLICE_END) {
        byTrack.computeIfAbsent(e.track, k -> new ArrayList<>()).add(e);
      }
    }
    long slices = 0;
    for (Map.Entry<Long, List<Event>> t : byTrack.entrySet()) {
      List<Event> sorted = new ArrayList<>(t.getValue());
      sorted.sort(Comparator.comparingLong(e -> e.time));
      Deque<Event> open = new ArrayDeque<>();
      for (Event e : sorted) {
        if (e.type == TYPE_SLICE_BEGIN) {
          open.push(e);
          slices++;
        } else {
          assertFalse(open.isEmpty(), "an end with no open slice on track " + t.getKey()
              + " at " + e.time);
          open.pop();
        }
      }
      assertTrue(open.isEmpty(), open.size() + " slices never end on track " + t.getKey());
    }
    return slices;
  }

  /**
   * Every flow id appears at both ends: each id that starts or passes through an event reaches
   * a later one, and each terminating id was started. Returns the number of flows.
   */
  public int everyFlowHasBothEnds() {
    Map<Long, Integer> starts = new HashMap<>();
    Set<Long> ends = new HashSet<>();
    for (Event e : events) {
      e.flows.forEach(f -> starts.merge(f, 1, Integer::sum));
      ends.addAll(e.terminating);
    }
    for (long end : ends) {
      assertTrue(starts.containsKey(end), "flow " + end + " ends but never starts");
    }
    starts.forEach((f, n) -> assertTrue(n >= 2 || ends.contains(f),
        "flow " + f + " starts but reaches nothing"));
    return starts.size();
  }

  /** Thread names by tid - TID_BASE, as the thread tracks carry them. */
  public Map<Integer, String> threadNames() {
    Map<Integer, String> threads = new HashMap<>();
    for (Track t : tracks.values()) {
      if (t.threadName != null) {
        threads.put((int) (t.tid - PerfettoTraceExporter.TID_BASE), t.threadName);
      }
    }
    return threads;
  }

  /**
   * Events per trace event type, read back from the categories (each the type's label): a
   * request slice stands for its begin and end records, a counter sample on a thread's counter
   * track for one counter record.
   */
  public Map<EventType, Long> countsByType() {
    Map<String, EventType> byLabel = new HashMap<>();
    for (EventType t : EventType.values()) {
      byLabel.put(t.label(), t);
    }
    Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    for (Event e : events) {
      if (e.type == TYPE_COUNTER) {
        Track track = tracks.get(e.track);
        if (track.parent != PerfettoTraceExporter.PROCESS_UUID) {
          counts.merge(EventType.COUNTER, 1L, Long::sum); // derived ones are the process's
        }
      } else if (e.type != TYPE_SLICE_END && "request".equals(e.category)) {
        counts.merge(EventType.REQUEST_BEGIN, 1L, Long::sum);
        counts.merge(EventType.REQUEST_END, 1L, Long::sum);
      } else if (e.type != TYPE_SLICE_END && byLabel.containsKey(e.category)) {
        counts.merge(byLabel.get(e.category), 1L, Long::sum);
      }
    }
    return counts;
  }
}
