package io.kallisto.event.nio;

import io.kallisto.event.AbstractDispatcher;
import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.event.FileTriggerType;
import io.kallisto.event.HeapTimerQueue;
import io.kallisto.event.MpscChunkedPostQueue;
import io.kallisto.event.PostQueue;
import io.kallisto.event.TimerQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The portable backend: a {@link Selector}, which the JDK implements with epoll on Linux, kqueue
 * on macOS and the Windows equivalent. Same loop, same post queue, same timers and statistics as
 * the epoll backend; what differs is underneath:
 *
 * <ul>
 *   <li><b>Channels, not fds.</b> A selector watches {@link SelectableChannel}s, so
 *       {@link #createFileEvent} (raw fds) is not supported; {@link #registerChannel} takes its
 *       place, and the network layer works through channel transports.
 *   <li><b>Wakeups</b> go through {@link Selector#wakeup()}, still only when the loop may be
 *       asleep (the shared protocol decides that).
 *   <li><b>Timers</b> have no timerfd: the poll's timeout is the earliest deadline, rounded up
 *       to the selector's millisecond resolution, so timers may fire up to 1 ms late (visible as
 *       {@code poll_delay}); {@code timerArms} stays 0.
 *   <li><b>Level-triggered only.</b> {@link FileTriggerType#EDGE} is refused: a selector has no
 *       edge mode, and faking one would hide what the platform does.
 * </ul>
 */
public final class NioDispatcher extends AbstractDispatcher {
  private final Selector selector;
  private final Consumer<SelectionKey> collect = this::collect;
  private ChannelEvent[] ready = new ChannelEvent[64]; // found by the last poll, with their bits
  private int[] readyBits = new int[64];
  private int readyCount;
  private List<ChannelEvent> activated = new ArrayList<>();
  private List<ChannelEvent> activating = new ArrayList<>();
  private int watching;

  private NioDispatcher(String name, PostQueue posts, TimerQueue timers) {
    super(name, posts, timers);
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("Selector.open() for dispatcher '" + name + "' failed: "
          + e.getMessage(), e);
    }
  }

  /** Creates an NIO dispatcher with the default post and timer queues. */
  public static NioDispatcher create(String name) {
    return create(name, new MpscChunkedPostQueue(), new HeapTimerQueue());
  }

  /** Creates an NIO dispatcher with the given queues, which it owns from now on. */
  public static NioDispatcher create(String name, PostQueue posts, TimerQueue timers) {
    NioDispatcher d = new NioDispatcher(name, posts, timers);
    d.announce();
    return d;
  }

  /**
   * Not supported: a {@link Selector} watches channels, not file descriptors.
   *
   * @throws UnsupportedOperationException always, saying what to use instead
   */
  @Override
  public FileEvent createFileEvent(int fd, FileReadyCallback callback, FileTriggerType trigger,
      int events) {
    throw new UnsupportedOperationException("dispatcher '" + name() + "' runs on java.nio, whose"
        + " Selector watches channels, not raw fds: createFileEvent(fd=" + fd + ") is not"
        + " supported here; use registerChannel(), or the io.kallisto.net transports");
  }

  /**
   * Watches {@code channel} (made non-blocking here) for the {@link FileReadyType} bits in
   * {@code events}: READ is readable or acceptable, WRITE is writable or connectable. CLOSED
   * is never reported by a selector; a peer's close shows as READ with a read of -1. The
   * channel stays owned by the caller. Loop-only.
   */
  public FileEvent registerChannel(SelectableChannel channel, FileReadyCallback callback,
      int events) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(callback, "callback");
    checkLoopThread("registerChannel()");
    FileReadyType.check(events);
    ChannelEvent event = new ChannelEvent(channel, callback);
    try {
      channel.configureBlocking(false);
      event.key = channel.register(selector, 0, event);
    } catch (IOException e) {
      throw new UncheckedIOException("registering " + channel + " with dispatcher '" + name()
          + "' failed: " + e.getMessage(), e);
    }
    event.setEnabled(events);
    return event;
  }

  // AbstractDispatcher

  @Override
  protected int poll(boolean block, long deadline) {
    readyCount = 0;
    try {
      // The Consumer forms of select() hand over each ready key without the selected-key set
      // and its iterator, so a poll allocates nothing.
      if (!block) {
        return selector.selectNow(collect);
      }
      if (deadline == NO_DEADLINE) {
        return selector.select(collect);
      }
      long nanos = deadline - now();
      if (nanos <= 0) {
        return selector.selectNow(collect);
      }
      // Round up: waking early would only poll again, and 0 would mean "forever".
      return selector.select(collect, Math.max(1, (nanos + 999_999) / 1_000_000));
    } catch (IOException e) {
      throw new UncheckedIOException("select() on dispatcher '" + name() + "' failed: "
          + e.getMessage(), e);
    }
  }

  private void collect(SelectionKey key) {
    ChannelEvent e = (ChannelEvent) key.attachment();
    int bits;
    try {
      bits = readyBits(key.readyOps()) & e.enabled;
    } catch (CancelledKeyException closed) {
      return;
    }
    if (readyCount == ready.length) {
      ready = java.util.Arrays.copyOf(ready, readyCount * 2);
      readyBits = java.util.Arrays.copyOf(readyBits, readyCount * 2);
    }
    ready[readyCount] = e;
    readyBits[readyCount++] = bits;
  }

  @Override
  protected void dispatchReady(int count) {
    // Activations made during this dispatch belong to the next iteration.
    List<ChannelEvent> due = activated;
    activated = activating;
    activating = due;
    for (int i = 0; i < due.size(); i++) {
      ChannelEvent e = due.get(i);
      e.dueActivation |= e.pendingActivation;
      e.pendingActivation = 0;
    }
    for (int i = 0; i < readyCount; i++) {
      ChannelEvent e = ready[i];
      ready[i] = null;
      e.fire(readyBits[i]);
    }
    readyCount = 0;
    for (int i = 0; i < due.size(); i++) {
      due.get(i).fire(0);
    }
    due.clear();
  }

  @Override
  protected void wakeUp() {
    selector.wakeup();
  }

  @Override
  protected boolean hasFileWork() {
    return watching > 0 || !activated.isEmpty();
  }

  @Override
  protected boolean hasActivations() {
    return !activated.isEmpty();
  }

  @Override
  protected void closeBackend() {
    try {
      selector.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the selector of dispatcher '" + name()
          + "' failed: " + e.getMessage(), e);
    }
  }

  private static int readyBits(int ops) {
    int bits = 0;
    if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
      bits |= FileReadyType.READ;
    }
    if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
      bits |= FileReadyType.WRITE;
    }
    return bits;
  }

  /** One registered channel. */
  private final class ChannelEvent implements FileEvent {
    final SelectableChannel channel;
    final FileReadyCallback callback;
    SelectionKey key;
    int enabled;
    boolean closed;
    int pendingActivation;
    int dueActivation;

    ChannelEvent(SelectableChannel channel, FileReadyCallback callback) {
      this.channel = channel;
      this.callback = callback;
    }

    void fire(int selectorBits) {
      int bits = selectorBits | dueActivation;
      dueActivation = 0;
      if (bits != 0 && !closed) {
        runFileCallback(callback, bits, -1);
      }
    }

    private int interestOps(int events) {
      int valid = channel.validOps();
      int ops = 0;
      if ((events & FileReadyType.READ) != 0) {
        ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
      }
      if ((events & FileReadyType.WRITE) != 0) {
        // A channel still connecting is "writable" once connected; connected, OP_WRITE.
        ops |= channel instanceof java.nio.channels.SocketChannel
            && ((java.nio.channels.SocketChannel) channel).isConnectionPending()
            ? SelectionKey.OP_CONNECT : valid & SelectionKey.OP_WRITE;
      }
      return ops;
    }

    @Override
    public void setEnabled(int events) {
      checkLoopThread("FileEvent.setEnabled()");
      FileReadyType.check(events);
      checkNotClosed("setEnabled()");
      boolean was = enabled != 0;
      key.interestOps(interestOps(events));
      enabled = events;
      if (was != (events != 0)) {
        watching += events != 0 ? 1 : -1;
      }
    }

    @Override
    public void activate(int events) {
      checkLoopThread("FileEvent.activate()");
      FileReadyType.check(events);
      checkNotClosed("activate()");
      if (events == 0) {
        return;
      }
      if (pendingActivation == 0) {
        activated.add(this);
      }
      pendingActivation |= events;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (isClosed()) {
        closed = true;
        return;
      }
      checkLoopThread("FileEvent.close()");
      closed = true;
      pendingActivation = 0;
      dueActivation = 0;
      activated.remove(this);
      if (enabled != 0) {
        watching--;
      }
      key.cancel();
    }

    private void checkNotClosed(String what) {
      if (closed) {
        throw new IllegalStateException("FileEvent for " + channel + " is closed: cannot call "
            + what);
      }
    }
  }
}
