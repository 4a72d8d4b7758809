package io.kallisto.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link InputFiles}: only regular files are opened, and sizes are bytes actually read. */
class InputFilesTest {
  @TempDir Path dir;

  @Test
  void aFifoWithNoWriterIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = SpecialFiles.fifo(dir.resolve("pipe"));
    // Opening it would block until a writer came; none ever does.
    UncheckedIOException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(UncheckedIOException.class, () -> InputFiles.open(fifo)));
    assertEquals(fifo + ": is a FIFO (named pipe), not a regular file", e.getMessage());
    assertInstanceOf(InputFiles.NotRegular.class, e.getCause());
    UncheckedIOException read = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(UncheckedIOException.class, () -> InputFiles.readAtMost(fifo, 10)));
    assertEquals(e.getMessage(), read.getMessage());
  }

  @Test
  void devicesAndDirectoriesAreRefusedBeforeAnyRead() {
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      for (String device : new String[] {"/dev/zero", "/dev/urandom", "/dev/null"}) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
            () -> InputFiles.readAtMost(Path.of(device), 1 << 20));
        assertEquals(device + ": is a character device, not a regular file", e.getMessage());
      }
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> InputFiles.open(dir));
      assertEquals(dir + ": is a directory", e.getMessage());
    });
  }

  @Test
  void aMissingFileSaysSo() {
    Path missing = dir.resolve("nope");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> InputFiles.readAtMost(missing, 10));
    assertEquals(missing + ": no such file", e.getMessage());
  }

  @Test
  void theLimitCountsBytesReadNotTheSizeTheFileClaims() throws Exception {
    Path ten = Files.write(dir.resolve("ten"), new byte[10]);
    assertArrayEquals(new byte[10], InputFiles.readAtMost(ten, 10));
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> InputFiles.readAtMost(ten, 9));
    assertEquals(ten + ": is too large (more than 9 bytes)", e.getMessage());
    assertEquals(9, ((InputFiles.TooLarge) e.getCause()).limit());
    // A regular file whose size says 0 and which still has content: read what is there.
    Path status = Path.of("/proc/self/status");
    if (Files.isRegularFile(status)) {
      assertEquals(0, Files.size(status));
      assertTrue(InputFiles.readAtMost(status, 1 << 20).length > 0);
    }
  }

  @Test
  void aSymbolicLinkToARegularFileIsReadAndOneToAFifoIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "text");
    Path toFile = Files.createSymbolicLink(dir.resolve("to-file"), file);
    assertEquals("text", new String(InputFiles.readAtMost(toFile, 10)));
    Path toFifo = Files.createSymbolicLink(dir.resolve("to-fifo"),
        SpecialFiles.fifo(dir.resolve("pipe")));
    UncheckedIOException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(UncheckedIOException.class, () -> InputFiles.open(toFifo)));
    assertTrue(e.getMessage().endsWith("is a FIFO (named pipe), not a regular file"),
        e.getMessage());
  }
}
