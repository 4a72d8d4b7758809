package io.kallisto.notebook.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernelspec Jupyter finds the kernel by: {@code kernels/kallisto/kernel.json}, whose argv
 * runs this JVM's {@code java} with a class path, usually this JVM's own.
 *
 * <pre>{@code
 * Path dir = KernelSpec.install(KernelSpec.userDataDir(), System.getProperty("java.class.path"));
 * }</pre>
 */
public final class KernelSpec {
  /** The kernel's name: notebooks select it with {@code "kernelspec": {"name": "kallisto"}}. */
  public static final String NAME = "kallisto";

  private KernelSpec() {}

  /**
   * Jupyter's per-user data directory: {@code $JUPYTER_DATA_DIR}, else
   * {@code $XDG_DATA_HOME/jupyter}, else {@code ~/.local/share/jupyter} (Linux; macOS uses
   * {@code ~/Library/Jupyter}).
   */
  public static Path userDataDir() {
    String env = System.getenv("JUPYTER_DATA_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path home = Path.of(System.getProperty("user.home"));
    if (System.getProperty("os.name", "").toLowerCase().contains("mac")) {
      return home.resolve("Library/Jupyter");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share"))
        .resolve("jupyter");
  }

  /**
   * Writes {@code dataDir/kernels/kallisto/kernel.json} for a kernel on {@code classpath},
   * replacing any earlier one; returns the kernel's directory.
   *
   * @throws UncheckedIOException if the file cannot be written, naming it
   */
  public static Path install(Path dataDir, String classpath) {
    Path dir = dataDir.resolve("kernels").resolve(NAME);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv(classpath));
    spec.put("display_name", "Kallisto (Java " + Runtime.version().feature() + ")");
    spec.put("language", "java");
    // Interrupt as an interrupt_request on the control channel, not SIGINT: a JVM that inherits
    // SIGINT as ignored (a Jupyter started with nohup or '&' from a script) cannot catch it.
    spec.put("interrupt_mode", "message");
    spec.put("env", Map.of("PYDEVD_DISABLE_FILE_VALIDATION", "1"));
    try {
      Files.createDirectories(dir);
      // Whole or not at all: a torn kernel.json would make Jupyter drop the kernel.
      io.kallisto.files.AtomicOutput.write(dir.resolve("kernel.json"),
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(spec));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kernelspec " + dir.resolve("kernel.json"),
          e);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot write the kernelspec " + dir.resolve("kernel.json"),
          e.getCause());
    }
    return dir;
  }

  /** The command that starts the kernel: this JVM's java, the class path, {@link KernelMain}. */
  static List<String> argv(String classpath) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 22) {
      argv.add("--enable-native-access=ALL-UNNAMED"); // JNA, as ./kallisto does
    }
    // Lets Shift-Tab read Javadoc from Kallisto's sources (see Inspector).
    argv.add("--add-opens=jdk.jshell/jdk.jshell=ALL-UNNAMED");
    argv.add("-Xss2m");
    argv.add("-Djava.awt.headless=true");
    argv.add("-cp");
    argv.add(classpath);
    argv.add(KernelMain.class.getName());
    argv.add("{connection_file}");
    return argv;
  }
}
