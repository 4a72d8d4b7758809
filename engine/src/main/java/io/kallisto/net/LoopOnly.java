package io.kallisto.net;

import io.kallisto.event.Dispatcher;

/**
 * The loop-thread check of this package's loop-only methods (transports, listeners,
 * connections), so that each refuses a wrong thread with the same message. Safe from any thread;
 * allocates only to build the message of the exception it throws, so it costs nothing on a read
 * or write that passes.
 */
final class LoopOnly {
  private LoopOnly() {}

  /**
   * Throws unless the calling thread may make loop-only calls on {@code dispatcher}.
   *
   * @param type the refusing class's simple name, as it starts the message
   * @param method the method called, with its parentheses: {@code "read()"}
   * @throws IllegalStateException naming the class, the method, the calling thread and the loop
   */
  static void check(Dispatcher dispatcher, String type, String method) {
    if (!dispatcher.isThreadSafe()) {
      throw new IllegalStateException(type + "." + method + " called from "
          + Thread.currentThread().getName() + ", not the loop thread of " + dispatcher.name());
    }
  }
}
