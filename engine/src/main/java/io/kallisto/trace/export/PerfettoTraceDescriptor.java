package io.kallisto.trace.export;

/**
 * The parts of Perfetto's trace format ({@code perfetto.protos.Trace}) that
 * {@link PerfettoTraceExporter} writes, as protobuf field numbers and enum values. Each number is
 * a public fact of the format, read from the {@code .proto} file named beside it in
 * github.com/google/perfetto ({@code protos/perfetto/...}); no code is generated from them.
 *
 * <pre>
 * Trace                                  trace/trace.proto
 *  └ packet (1, repeated TracePacket)     trace/trace_packet.proto
 *     ├ timestamp (8)  timestamp_clock_id (58)  trusted_packet_sequence_id (10)
 *     │ sequence_flags (13)
 *     ├ compressed_packets (50): a deflated Trace of packets, in place of the packet
 *     ├ interned_data (12) ── InternedData        trace/interned_data/interned_data.proto
 *     │    ├ event_categories (1) ── EventCategory { iid 1, name 2 }   track_event.proto
 *     │    ├ event_names (2)      ── EventName { iid 1, name 2 }       track_event.proto
 *     │    ├ debug_annotation_names (3) ── DebugAnnotationName { iid 1, name 2 }
 *     │    └ debug_annotation_string_values (29) ── InternedString { iid 1, str 2 }
 *     │                                              trace/profiling/profile_common.proto
 *     ├ trace_packet_defaults (59) ── TracePacketDefaults { timestamp_clock_id 58,
 *     │       track_event_defaults 11 ── TrackEventDefaults { track_uuid 11 } }
 *     ├ clock_snapshot (6) ── ClockSnapshot { clocks 1 { clock_id 1, timestamp 2,
 *     │       is_incremental 3, unit_multiplier_ns 4 }, primary_trace_clock 2 }
 *     ├ track_descriptor (60) ── TrackDescriptor { uuid 1, name 2, process 3, thread 4,
 *     │       parent_uuid 5, counter 8 }
 *     └ track_event (11) ── TrackEvent { category_iids 3, debug_annotations 4, type 9,
 *             name_iid 10, track_uuid 11, counter_value 30, flow_ids 47,
 *             terminating_flow_ids 48 }
 * </pre>
 *
 * <p>Wire types: varint for integers, bools and enums; length-delimited for strings and
 * messages; fixed64 for {@code flow_ids} and {@code terminating_flow_ids}, which are
 * {@code repeated fixed64} (packed or not, both decode).
 */
final class PerfettoTraceDescriptor {
  private PerfettoTraceDescriptor() {}

  // trace/trace.proto: message Trace
  /** {@code repeated TracePacket packet = 1}. */
  static final int TRACE_PACKET = 1;

  // trace/trace_packet.proto: message TracePacket
  /** {@code optional uint64 timestamp = 8}. */
  static final int PACKET_TIMESTAMP = 8;
  /**
   * {@code optional uint32 timestamp_clock_id = 58}: the clock of this packet's timestamp,
   * over the sequence's default.
   */
  static final int PACKET_TIMESTAMP_CLOCK_ID = 58;
  /** {@code uint32 trusted_packet_sequence_id = 10} (oneof optional_trusted_packet_sequence_id). */
  static final int PACKET_SEQUENCE_ID = 10;
  /** {@code TrackEvent track_event = 11} (oneof data). */
  static final int PACKET_TRACK_EVENT = 11;
  /** {@code optional InternedData interned_data = 12}. */
  static final int PACKET_INTERNED_DATA = 12;
  /** {@code optional uint32 sequence_flags = 13}. */
  static final int PACKET_SEQUENCE_FLAGS = 13;
  /** {@code ClockSnapshot clock_snapshot = 6} (oneof data). */
  static final int PACKET_CLOCK_SNAPSHOT = 6;
  /** {@code optional TracePacketDefaults trace_packet_defaults = 59}. */
  static final int PACKET_DEFAULTS = 59;
  /**
   * {@code bytes compressed_packets = 50} (oneof data): "zero or more proto encoded trace
   * packets compressed using deflate", each such packet under 512 KB.
   */
  static final int PACKET_COMPRESSED_PACKETS = 50;
  /** {@code TrackDescriptor track_descriptor = 60} (oneof data). */
  static final int PACKET_TRACK_DESCRIPTOR = 60;
  /** TracePacket.SequenceFlags {@code SEQ_INCREMENTAL_STATE_CLEARED = 1}. */
  static final int SEQ_INCREMENTAL_STATE_CLEARED = 1;
  /** TracePacket.SequenceFlags {@code SEQ_NEEDS_INCREMENTAL_STATE = 2}. */
  static final int SEQ_NEEDS_INCREMENTAL_STATE = 2;

  // trace/trace_packet_defaults.proto: message TracePacketDefaults
  /** {@code optional uint32 timestamp_clock_id = 58}. */
  static final int DEFAULTS_TIMESTAMP_CLOCK_ID = 58;
  /** {@code optional TrackEventDefaults track_event_defaults = 11}. */
  static final int DEFAULTS_TRACK_EVENT_DEFAULTS = 11;
  /**
   * TrackEventDefaults (trace/track_event/track_event.proto) {@code optional uint64 track_uuid
   * = 11}: the track of every track event on the sequence that names none.
   */
  static final int TRACK_EVENT_DEFAULTS_TRACK_UUID = 11;

  // trace/clock_snapshot.proto: message ClockSnapshot, and common/builtin_clock.proto
  /** ClockSnapshot {@code repeated Clock clocks = 1}. */
  static final int CLOCK_SNAPSHOT_CLOCKS = 1;
  /** ClockSnapshot {@code optional BuiltinClock primary_trace_clock = 2}. */
  static final int CLOCK_SNAPSHOT_PRIMARY_TRACE_CLOCK = 2;
  /** ClockSnapshot.Clock {@code optional uint32 clock_id = 1}. */
  static final int CLOCK_ID = 1;
  /** ClockSnapshot.Clock {@code optional uint64 timestamp = 2}. */
  static final int CLOCK_TIMESTAMP = 2;
  /**
   * ClockSnapshot.Clock {@code optional bool is_incremental = 3}: each packet's timestamp on
   * this clock is a delta from the last packet's on the same sequence (only for the
   * sequence-scoped clocks).
   */
  static final int CLOCK_IS_INCREMENTAL = 3;
  /** ClockSnapshot.Clock {@code optional uint64 unit_multiplier_ns = 4}. */
  static final int CLOCK_UNIT_MULTIPLIER_NS = 4;
  /**
   * The first clock id of the range [64, 127] that ClockSnapshot.Clock.clock_id leaves to
   * "user-defined clocks ... sequence-scoped": valid only on the packet sequence whose clock
   * snapshot declares it.
   */
  static final int SEQUENCE_CLOCK_ID = 64;
  /** BuiltinClock {@code BUILTIN_CLOCK_MONOTONIC = 3}: what System.nanoTime reads on Linux. */
  static final int BUILTIN_CLOCK_MONOTONIC = 3;
  /** BuiltinClock {@code BUILTIN_CLOCK_BOOTTIME = 6}: the trace clock when none is named. */
  static final int BUILTIN_CLOCK_BOOTTIME = 6;

  // trace/interned_data/interned_data.proto: message InternedData
  /** {@code repeated EventCategory event_categories = 1}. */
  static final int INTERNED_EVENT_CATEGORIES = 1;
  /** {@code repeated EventName event_names = 2}. */
  static final int INTERNED_EVENT_NAMES = 2;
  /** {@code repeated DebugAnnotationName debug_annotation_names = 3}. */
  static final int INTERNED_DEBUG_ANNOTATION_NAMES = 3;
  /** {@code repeated InternedString debug_annotation_string_values = 29}. */
  static final int INTERNED_DEBUG_ANNOTATION_STRING_VALUES = 29;
  /**
   * EventCategory, EventName (trace/track_event/track_event.proto) and DebugAnnotationName
   * (trace/track_event/debug_annotation.proto) share {@code optional uint64 iid = 1}.
   */
  static final int INTERNED_IID = 1;
  /**
   * ... and {@code optional string name = 2}; InternedString (trace/profiling/
   * profile_common.proto) has {@code optional bytes str = 2} in its place.
   */
  static final int INTERNED_NAME = 2;

  // trace/track_event/track_descriptor.proto: message TrackDescriptor
  /** {@code optional uint64 uuid = 1}. */
  static final int TRACK_UUID = 1;
  /** {@code string name = 2} (oneof static_or_dynamic_name). */
  static final int TRACK_NAME = 2;
  /** {@code optional ProcessDescriptor process = 3}. */
  static final int TRACK_PROCESS = 3;
  /** {@code optional ThreadDescriptor thread = 4}. */
  static final int TRACK_THREAD = 4;
  /** {@code optional uint64 parent_uuid = 5}. */
  static final int TRACK_PARENT_UUID = 5;
  /** {@code optional CounterDescriptor counter = 8}. */
  static final int TRACK_COUNTER = 8;

  // trace/track_event/process_descriptor.proto: message ProcessDescriptor
  /** {@code optional int32 pid = 1}. */
  static final int PROCESS_PID = 1;
  /** {@code optional string process_name = 6}. */
  static final int PROCESS_NAME = 6;

  // trace/track_event/thread_descriptor.proto: message ThreadDescriptor
  /** {@code optional int32 pid = 1}. */
  static final int THREAD_PID = 1;
  /** {@code optional int64 tid = 2}. */
  static final int THREAD_TID = 2;
  /** {@code optional string thread_name = 5}. */
  static final int THREAD_NAME = 5;

  // trace/track_event/counter_descriptor.proto: message CounterDescriptor
  /** {@code optional Unit unit = 3}. */
  static final int COUNTER_UNIT = 3;
  /** CounterDescriptor.Unit {@code UNIT_COUNT = 2}. */
  static final int UNIT_COUNT = 2;

  // trace/track_event/track_event.proto: message TrackEvent
  /** {@code repeated uint64 category_iids = 3}. */
  static final int EVENT_CATEGORY_IIDS = 3;
  /** {@code repeated DebugAnnotation debug_annotations = 4}. */
  static final int EVENT_DEBUG_ANNOTATIONS = 4;
  /** {@code optional Type type = 9}. */
  static final int EVENT_TYPE = 9;
  /** {@code uint64 name_iid = 10} (oneof name_field). */
  static final int EVENT_NAME_IID = 10;
  /** {@code optional uint64 track_uuid = 11}. */
  static final int EVENT_TRACK_UUID = 11;
  /** {@code int64 counter_value = 30} (oneof counter_value_field). */
  static final int EVENT_COUNTER_VALUE = 30;
  /** {@code repeated fixed64 flow_ids = 47}. */
  static final int EVENT_FLOW_IDS = 47;
  /** {@code repeated fixed64 terminating_flow_ids = 48}. */
  static final int EVENT_TERMINATING_FLOW_IDS = 48;
  /** TrackEvent.Type {@code TYPE_SLICE_BEGIN = 1}. */
  static final int TYPE_SLICE_BEGIN = 1;
  /** TrackEvent.Type {@code TYPE_SLICE_END = 2}. */
  static final int TYPE_SLICE_END = 2;
  /** TrackEvent.Type {@code TYPE_INSTANT = 3}. */
  static final int TYPE_INSTANT = 3;
  /** TrackEvent.Type {@code TYPE_COUNTER = 4}. */
  static final int TYPE_COUNTER = 4;

  // trace/track_event/debug_annotation.proto: message DebugAnnotation
  /** {@code uint64 name_iid = 1} (oneof name_field). */
  static final int ANNOTATION_NAME_IID = 1;
  /** {@code bool bool_value = 2} (oneof value). */
  static final int ANNOTATION_BOOL = 2;
  /** {@code int64 int_value = 4} (oneof value). */
  static final int ANNOTATION_INT = 4;
  /** {@code string string_value = 6} (oneof value). */
  static final int ANNOTATION_STRING = 6;
  /** {@code uint64 string_value_iid = 17} (oneof value): an interned string value. */
  static final int ANNOTATION_STRING_IID = 17;
  /** {@code string name = 10} (oneof name_field). */
  static final int ANNOTATION_NAME = 10;
}
