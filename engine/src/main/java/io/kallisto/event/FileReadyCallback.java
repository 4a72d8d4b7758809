package io.kallisto.event;

/** Called on the loop thread when a watched fd is ready. */
@FunctionalInterface
public interface FileReadyCallback {
  /**
   * @param events the {@link FileReadyType} bits that are ready, limited to those the event is
   *     enabled for
   */
  void onReady(int events);
}
