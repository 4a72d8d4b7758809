package io.kallisto.notebook.kernel;

import io.kallisto.cli.UserError;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kallisto notebook}: starts Jupyter on the lesson notebooks with the Kallisto kernel
 * (installing its kernelspec first, so that its class path is this build's), or says how to get
 * Jupyter. {@code kallisto notebook install} only installs the kernelspec.
 */
@Command(name = "notebook", mixinStandardHelpOptions = true,
    description = {"Opens the lesson notebooks in Jupyter with the Kallisto kernel.",
        "Installs the kernelspec for the current user first; 'install' does only that."},
    subcommands = NotebookCommand.Install.class)
public final class NotebookCommand implements Callable<Integer> {
  /** Debian's Jupyter: the {@code python3} first on PATH may be another Python. */
  static final Path DEBIAN_JUPYTER = Path.of("/usr/bin/jupyter");

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the notebooks are. Default: this checkout's notebooks/.")
  Path dir;

  @Option(names = "--no-browser", description = "Do not open a browser (print the URL).")
  boolean noBrowser;

  @Override
  public Integer call() throws Exception {
    Optional<Path> jupyter = jupyter();
    if (jupyter.isEmpty() || !hasNotebookServer(jupyter.get())) {
      throw new UserError("Jupyter Notebook is not installed. On Debian or Ubuntu: "
          + "sudo apt-get install jupyter-notebook; elsewhere: pip install notebook. "
          + "Then run 'kallisto notebook' again.");
    }
    Path kernel = KernelSpec.install(KernelSpec.userDataDir(), System.getProperty("java.class.path"));
    Path notebooks = dir != null ? dir : notebooksDir();
    System.out.println("kernelspec: " + kernel.resolve("kernel.json"));
    System.out.println("starting Jupyter on " + notebooks + " (Ctrl-C twice to stop)");
    // Only this machine may reach the server, like every network use in Kallisto.
    List<String> cmd = new java.util.ArrayList<>(List.of(jupyter.get().toString(), "notebook",
        "--notebook-dir=" + notebooks, "--ip=127.0.0.1"));
    if (noBrowser) {
      cmd.add("--no-browser");
    }
    if ("root".equals(System.getProperty("user.name"))) {
      // Jupyter refuses to start as root unless told; containers and lab VMs often run as root.
      System.out.println("running as root: passing --allow-root to Jupyter");
      cmd.add("--allow-root");
    }
    Process server = new ProcessBuilder(cmd).inheritIO().start();
    // If this JVM is stopped (a signal, a closed terminal), the server must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "stop-jupyter"));
    return server.waitFor();
  }

  /** {@code kallisto notebook install}. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      description = {"Installs the Kallisto kernelspec for the current user.",
          "Its class path is this build's: run it again after the dependencies change."})
  static final class Install implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Jupyter data directory to install into. Default: the user's"
            + " (JUPYTER_DATA_DIR, else ~/.local/share/jupyter).")
    Path dataDir;

    @Override
    public Integer call() {
      Path kernel = KernelSpec.install(dataDir != null ? dataDir : KernelSpec.userDataDir(),
          System.getProperty("java.class.path"));
      System.out.println("installed the Kallisto kernel: " + kernel.resolve("kernel.json"));
      if (jupyter().isEmpty()) {
        System.out.println("Jupyter itself is not installed: sudo apt-get install"
            + " jupyter-notebook (Debian, Ubuntu), or pip install notebook.");
      } else {
        System.out.println("open the lessons with: ./kallisto notebook");
      }
      return 0;
    }
  }

  /** Debian's {@code /usr/bin/jupyter} if present, else the first {@code jupyter} on PATH. */
  static Optional<Path> jupyter() {
    if (Files.isExecutable(DEBIAN_JUPYTER)) {
      return Optional.of(DEBIAN_JUPYTER);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        Path p = Path.of(d, "jupyter");
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Jupyter runs subcommands as {@code jupyter-notebook} beside {@code jupyter}. */
  private static boolean hasNotebookServer(Path jupyter) {
    Path dir = jupyter.getParent();
    return dir != null && (Files.isExecutable(dir.resolve("jupyter-notebook"))
        || Files.isExecutable(dir.resolve("jupyter-lab")));
  }

  /** This checkout's {@code notebooks/}: found from where this class was loaded. */
  static Path notebooksDir() {
    try {
      Path classes = Path.of(NotebookCommand.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI());
      // notebooks/target/classes or notebooks/target/kallisto-notebooks-*.jar
      Path module = classes.getParent().getParent();
      if (module != null && Files.isRegularFile(module.resolve("pom.xml"))) {
        return module;
      }
    } catch (Exception e) {
      // fall through to the working directory's notebooks/
    }
    return Path.of("notebooks").toAbsolutePath();
  }
}
