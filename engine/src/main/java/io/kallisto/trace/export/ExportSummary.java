package io.kallisto.trace.export;

import java.util.Locale;

/**
 * What an export wrote, and what it could not draw as the trace recorded it.
 *
 * @param events what was written, metadata included: JSON events, or Perfetto trace packets
 * @param flows flow arrows drawn: posts to callbacks, slot sets to updates and completions
 * @param unjoinedPosts posts or posted callbacks left without an arrow: slot updates (whose
 *     callbacks carry the slot's flow, not the post's), or the other end is not in the trace
 * @param unnestedSlices slices that did not nest on their thread, written as async slices
 */
public record ExportSummary(long events, long flows, long unjoinedPosts, long unnestedSlices) {
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%,d events, %,d flow arrows, %,d posts or callbacks not"
        + " joined, %,d slices written as async because they did not nest", events, flows,
        unjoinedPosts, unnestedSlices);
  }
}
