package io.kallisto.event;

/** Called on the loop thread when a watched fd is ready. */
@FunctionalInterface
public interface FileReadyCallback {
  /**
   * @param events the {@link FileReadyType} bits that are ready, limited to those the event is
   *     enabled for
   */
  void onReady(int events);

  /** {@code callback}, labelled {@code label} in traces (instead of its declaring method). */
  static FileReadyCallback named(String label, FileReadyCallback callback) {
    java.util.Objects.requireNonNull(label, "label");
    java.util.Objects.requireNonNull(callback, "callback");
    final class Named implements FileReadyCallback, io.kallisto.trace.TracedCallback {
      @Override
      public void onReady(int events) {
        callback.onReady(events);
      }

      @Override
      public String traceLabel() {
        return label;
      }
    }
    return new Named();
  }
}
