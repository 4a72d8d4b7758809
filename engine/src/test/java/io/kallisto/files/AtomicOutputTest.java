package io.kallisto.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicOutput}: the target is the old file or the new one, never half of either. */
class AtomicOutputTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void untilCommitTheTargetKeepsItsOldBytesAndTheNewOnesAreInAPartialFile() throws IOException {
    Path target = Files.writeString(dir.resolve("out.json"), "old");
    try (AtomicOutput out = AtomicOutput.create(target)) {
      out.channel().write(ByteBuffer.wrap("new and longer".getBytes(StandardCharsets.UTF_8)));
      assertEquals("old", Files.readString(target));
      assertEquals(dir, out.temporary().getParent());
      assertTrue(out.temporary().getFileName().toString().matches("out\\.json\\.[0-9a-f]{8}"
          + "\\.partial"), out.temporary().toString());
      assertEquals("new and longer", Files.readString(out.temporary()));
      out.commit();
    }
    assertEquals("new and longer", Files.readString(target));
    assertEquals(List.of("out.json"), names());
  }

  @Test
  void closingWithoutCommitDeletesThePartialFileAndLeavesTheTargetAsItWas() throws IOException {
    Path target = Files.writeString(dir.resolve("out.json"), "old");
    try (AtomicOutput out = AtomicOutput.create(target)) {
      out.channel().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("out.json"), names());
  }

  @Test
  void aBodyThatFailsHalfWayLeavesTheTargetWholeAndNamesIt() throws IOException {
    Path target = Files.writeString(dir.resolve("out.json"), "old");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> AtomicOutput.write(target, out -> {
          out.write("half".getBytes(StandardCharsets.UTF_8));
          throw new IOException("No space left on device");
        }));
    assertEquals(target + ": cannot write: No space left on device", e.getMessage());
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("out.json"), names());
  }

  @Test
  void aNewTargetIsCreatedWithTheUsualPermissionsAndAReplacedOneKeepsItsOwn()
      throws IOException {
    Path fresh = dir.resolve("fresh.json");
    AtomicOutput.write(fresh, new byte[] {42});
    // Not the 0600 of a temporary file: what a plain write would give under the umask.
    assertTrue(Files.getPosixFilePermissions(fresh).contains(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ));
    Path kept = Files.writeString(dir.resolve("kept.json"), "old");
    Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-r-----"));
    AtomicOutput.write(kept, new byte[] {1});
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(kept));
  }

  @Test
  void aSymbolicLinkIsFollowedTheFileItPointsToIsReplacedAndTheLinkKept() throws IOException {
    Path real = Files.writeString(dir.resolve("real.json"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), real.getFileName());
    AtomicOutput.write(link, "new".getBytes(StandardCharsets.UTF_8));
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("new", Files.readString(real));
    assertEquals(List.of("link.json", "real.json"), names());
  }

  @Test
  void aDirectoryAFifoOrADeviceIsRefusedAndLeftAsItWas() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("folder"));
    Path fifo = SpecialFiles.fifo(dir.resolve("fifo"));
    for (Path target : List.of(folder, fifo, Path.of("/dev/null"))) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> AtomicOutput.write(target, new byte[] {1}));
      assertTrue(e.getMessage().startsWith(target + ": cannot write: is a "), e.getMessage());
    }
    assertTrue(Files.isDirectory(folder));
    assertFalse(Files.isRegularFile(fifo));
    assertTrue(Files.exists(fifo));
    assertFalse(Files.isRegularFile(Path.of("/dev/null")), "/dev/null was replaced");
    assertEquals(List.of("fifo", "folder"), names());
  }

  @Test
  void aTargetInAMissingFolderSaysSo() {
    Path target = dir.resolve("no/such/out.json");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> AtomicOutput.write(target, new byte[] {1}));
    assertEquals(target + ": cannot write: its folder does not exist", e.getMessage());
  }

  @Test
  void commitTwiceIsAnError() {
    try (AtomicOutput out = AtomicOutput.create(dir.resolve("once"))) {
      out.commit();
      assertThrows(IllegalStateException.class, out::commit);
    }
  }
}
