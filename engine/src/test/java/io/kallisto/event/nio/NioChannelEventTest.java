package io.kallisto.event.nio;

import static io.kallisto.event.FileReadyType.READ;
import static io.kallisto.event.FileReadyType.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.FileEvent;
import io.kallisto.event.FileTriggerType;
import io.kallisto.event.RunType;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The NIO backend's channel events: the behaviours FileEventTest checks for fds on epoll. */
class NioChannelEventTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private final NioDispatcher d = NioDispatcher.create("channels");
  private final List<Integer> seen = new ArrayList<>();
  private final Pipe pipe = open();

  private static Pipe open() {
    try {
      Pipe p = Pipe.open();
      p.sink().configureBlocking(false);
      return p;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void closeEverything() throws Exception {
    d.close();
    pipe.source().close();
    pipe.sink().close();
  }

  private void write(int n) throws Exception {
    pipe.sink().write(ByteBuffer.allocate(n));
  }

  @Test
  void createFileEventOnRawFdsIsRefusedNamingWhatToUseInstead() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> d.createFileEvent(0, x -> { }, FileTriggerType.LEVEL, READ));
    assertTrue(e.getMessage().contains("Selector watches channels, not raw fds"), e.getMessage());
    assertTrue(e.getMessage().contains("registerChannel()"), e.getMessage());
  }

  @Test
  void aReadableChannelIsReportedEveryIterationUntilDrained() throws Exception {
    assertTimeoutPreemptively(LIMIT, () -> {
      d.registerChannel(pipe.source(), seen::add, READ);
      write(3);
      d.run(RunType.NON_BLOCK);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ, READ), seen, "level-triggered: still readable");
      pipe.source().read(ByteBuffer.allocate(16));
      d.run(RunType.NON_BLOCK);
      assertEquals(2, seen.size(), "drained: no more reports");
    });
  }

  @Test
  void aWritableChannelReportsWriteAndOnlyTheEnabledBits() throws Exception {
    assertTimeoutPreemptively(LIMIT, () -> {
      FileEvent e = d.registerChannel(pipe.sink(), seen::add, READ);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(), seen, "a sink is never readable, and WRITE was not asked for");
      e.setEnabled(WRITE);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(WRITE), seen);
    });
  }

  @Test
  void activateRunsTheCallbackNextIterationOnceEvenWhenAlsoReady() throws Exception {
    assertTimeoutPreemptively(LIMIT, () -> {
      FileEvent e = d.registerChannel(pipe.source(), seen::add, READ);
      e.activate(WRITE);
      write(1);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ | WRITE), seen, "one call with the readiness and the activation");
    });
  }

  @Test
  void aClosedEventStopsReportingAndLeavesTheChannelOpen() throws Exception {
    assertTimeoutPreemptively(LIMIT, () -> {
      FileEvent e = d.registerChannel(pipe.source(), seen::add, READ);
      write(1);
      e.close();
      e.close();
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(), seen);
      assertTrue(pipe.source().isOpen(), "the channel belongs to the caller");
    });
  }

  @Test
  void blockRunWaitsForAnEnabledChannelAndReturnsOnceNothingIsWatched() throws Exception {
    assertTimeoutPreemptively(LIMIT, () -> {
      FileEvent[] self = new FileEvent[1];
      self[0] = d.registerChannel(pipe.source(), bits -> {
        seen.add(bits);
        self[0].setEnabled(0);
      }, READ);
      write(1);
      d.run(RunType.BLOCK); // returns once the callback stopped watching: nothing left to wait on
      assertEquals(List.of(READ), seen);
    });
  }
}
