package io.kallisto.notebook.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * The kernel process Jupyter starts: {@code java -cp ... io.kallisto.notebook.kernel.KernelMain
 * CONNECTION_FILE}. Exits 0 when Jupyter shuts it down, 2 when the connection file is missing or
 * unreadable.
 */
public final class KernelMain {
  private KernelMain() {}

  /** Serves the connection described by {@code args[0]} until Jupyter closes it. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter passes it; see"
          + " 'kallisto notebook install')");
      System.exit(2);
    }
    String text;
    try {
      text = Files.readString(Path.of(args[0]));
    } catch (IOException e) {
      System.err.println("kallisto kernel: cannot read connection file " + args[0] + ": " + e);
      System.exit(2);
      return;
    }
    // The base library logs every message at INFO on stderr.
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    for (Handler h : root.getHandlers()) {
      h.setLevel(Level.WARNING);
    }
    KallistoKernel kernel = new KallistoKernel();
    // Jupyter interrupts through the control channel (interrupt_mode message); a SIGINT sent by
    // hand interrupts too, where it is not ignored. Without this the JVM would shut down.
    Signal.handle(new Signal("INT"), signal -> kernel.interrupt());
    JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(text));
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    // Loops a cell left running are not a reason to outlive Jupyter.
    System.exit(0);
  }
}
