package io.kallisto.event.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * JNA stays behind the native boundary: no compiled engine class names a {@code com.sun.jna}
 * type except the few in {@code io.kallisto.event.epoll} whose job it is. A class file names
 * every type it uses in its constant pool, in internal form ({@code com/sun/jna/Pointer}), so a
 * byte search of the class file finds any use: a field, a call, a cast or a signature.
 */
class NativeBoundaryTest {
  private static final String PACKAGE = "io/kallisto/event/epoll/";
  /** The classes that may touch JNA: the system calls, native memory and struct layouts. */
  private static final Set<String> NATIVE = Set.of("LinuxNative", "LinuxSocket",
      "NativeMemory", "EpollEventDescriptor");
  private static final byte[] JNA = "com/sun/jna/".getBytes(StandardCharsets.US_ASCII);

  @Test
  void noClassOutsideTheNativeBoundaryUsesJna() throws Exception {
    Path root = classesRoot();
    List<String> offenders = new ArrayList<>();
    List<String> users = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
        String name = root.relativize(f).toString().replace('\\', '/');
        if (contains(read(f), JNA)) {
          users.add(name);
          if (!isNative(name)) {
            offenders.add(name);
          }
        }
      });
    }
    // The scan can see JNA where it is: otherwise a broken scan would pass everything.
    assertTrue(users.contains(PACKAGE + "LinuxNative.class"), "scanned " + root + ": " + users);
    assertEquals(List.of(), offenders, "JNA used outside " + NATIVE + " in " + PACKAGE);
  }

  private static boolean isNative(String classFile) {
    if (!classFile.startsWith(PACKAGE)) {
      return false;
    }
    String simple = classFile.substring(PACKAGE.length(), classFile.length() - ".class".length());
    int nested = simple.indexOf('$');
    return NATIVE.contains(nested < 0 ? simple : simple.substring(0, nested));
  }

  /** The directory the engine's main classes were compiled into. */
  private static Path classesRoot() throws URISyntaxException {
    Path root = Path.of(LinuxNative.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    assertTrue(Files.isDirectory(root), "expected compiled classes in a directory, got " + root);
    return root;
  }

  private static byte[] read(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
