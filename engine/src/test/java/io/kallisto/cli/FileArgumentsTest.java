package io.kallisto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileArguments}: the same file is found however it is spelled, before it exists too. */
class FileArgumentsTest {
  @TempDir Path dir;

  @Test
  void twoNewOutputsThroughALinkedFolderAndTheFolderItselfAreTheSameFile() throws IOException {
    Path real = Files.createDirectory(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    UserError e = assertThrows(UserError.class, () -> new FileArguments()
        .output("--trace", real.resolve("x")).output("--json", link.resolve("x")).check());
    assertEquals("--json " + link.resolve("x") + ": --trace " + real.resolve("x")
        + " writes the same file; give each output its own name", e.getMessage());
  }

  @Test
  void anOutputSpelledWithDotsIsStillTheInput() throws IOException {
    Path input = Files.writeString(dir.resolve("in.ktrace"), "trace");
    Path spelled = dir.resolve("./in.ktrace");
    UserError e = assertThrows(UserError.class, () -> new FileArguments()
        .input("FILE", input).output("-o", spelled).check());
    assertEquals("-o " + spelled + ": is the input FILE " + input + "; an output never"
        + " replaces an input, give another name", e.getMessage());
  }

  @Test
  void optionsNotGivenAreSkippedAndDistinctNewFilesPass() {
    new FileArguments().input("SCENARIO", null).output("--trace", null)
        .output("--json", dir.resolve("a.json")).output("--png", dir.resolve("a.png")).check();
  }

  @Test
  void aDirectoryOutputThatIsAFileOrUnderOneIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertEquals("--student " + file + ": is a file; give a directory",
        assertThrows(UserError.class, () -> new FileArguments()
            .outputDirectory("--student", file).check()).getMessage());
    assertEquals("--student " + file.resolve("a/b") + ": " + file.toRealPath()
        + " is a file, not a directory", assertThrows(UserError.class,
            () -> new FileArguments().outputDirectory("--student", file.resolve("a/b")).check())
        .getMessage());
  }
}
