package io.kallisto.exercises.grader;

import io.kallisto.event.Dispatcher;
import io.kallisto.exercises.support.Points;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The build a student hand-out carries, so that {@code mvn test} runs the visible tests with no
 * Kallisto checkout: a {@code pom.xml} and, under {@code lib/repo}, a file Maven repository with
 * the engine and the grading support classes ({@code @Points}, {@code TraceOnFailure},
 * {@code Seeds}), never the solutions or the hidden tests.
 *
 * <p>The two jars' version is their content hash ({@code 0.1.0-h1a2b3c4d}): Maven caches what it
 * reads from a repository in {@code ~/.m2}, and a fixed version would let the cache serve a
 * student an older engine after a new export.
 */
final class HandoutBuild {
  private static final String GROUP = "io.kallisto";
  private static final String ENGINE = "kallisto-engine";
  private static final String SUPPORT = "kallisto-exercises-support";
  private static final String SUPPORT_PACKAGE = "io/kallisto/exercises/support/";

  private HandoutBuild() {}

  /** Writes {@code pom.xml} and {@code lib/repo/} into the hand-out {@code dir}. */
  static void write(Exercise ex, Path dir) throws IOException {
    Properties v = versions();
    Path repo = dir.resolve("lib/repo");
    Path build = Files.createTempDirectory("kallisto-handout-");
    try {
      Path engineJar = jarOf(codeSource(Dispatcher.class), build.resolve("engine.jar"), "");
      Path supportJar = jarOf(codeSource(Points.class), build.resolve("support.jar"),
          SUPPORT_PACKAGE);
      String base = v.getProperty("kallisto.version").replace("-SNAPSHOT", "");
      String version = base + "-h" + hash(engineJar, supportJar);
      install(repo, ENGINE, version, engineJar, enginePom(version, v));
      install(repo, SUPPORT, version, supportJar, supportPom(version, v));
      boolean lincheck = usesLincheck(ex.visibleTests());
      Files.writeString(dir.resolve("pom.xml"), handoutPom(ex, version, v, lincheck),
          StandardCharsets.UTF_8);
    } finally {
      try (Stream<Path> s = Files.walk(build)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Properties versions() throws IOException {
    Properties p = new Properties();
    try (InputStream in = HandoutBuild.class.getResourceAsStream("handout.properties")) {
      if (in == null) {
        throw new IllegalStateException("handout.properties is missing from the exercises jar");
      }
      p.load(in);
    }
    return p;
  }

  private static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A jar of {@code from} (a classes directory or a jar) holding only the entries under
   * {@code prefix} ("" for all), in name order so that equal contents give equal bytes.
   */
  private static Path jarOf(Path from, Path to, String prefix) throws IOException {
    if (Files.isRegularFile(from) && prefix.isEmpty()) {
      return Files.copy(from, to);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to))) {
      if (Files.isDirectory(from)) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
          files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        for (Path f : files) {
          String name = from.relativize(f).toString().replace('\\', '/');
          if (name.startsWith(prefix)) {
            add(out, name, Files.readAllBytes(f));
          }
        }
      } else {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(from.toFile())) {
          List<JarEntry> entries = jar.stream().filter(e -> !e.isDirectory()
              && e.getName().startsWith(prefix)).sorted(java.util.Comparator.comparing(
                  JarEntry::getName)).collect(Collectors.toList());
          for (JarEntry e : entries) {
            try (InputStream in = jar.getInputStream(e)) {
              add(out, e.getName(), in.readAllBytes());
            }
          }
        }
      }
    }
    return to;
  }

  private static void add(JarOutputStream out, String name, byte[] bytes) throws IOException {
    JarEntry e = new JarEntry(name);
    e.setTime(0); // no build time in the bytes: equal classes, equal hash
    out.putNextEntry(e);
    out.write(bytes);
    out.closeEntry();
  }

  private static String hash(Path... files) throws IOException {
    return digest("SHA-256", files).substring(0, 10);
  }

  private static void install(Path repo, String artifact, String version, Path jar, String pom)
      throws IOException {
    Path dir = Files.createDirectories(repo.resolve(GROUP.replace('.', '/')).resolve(artifact)
        .resolve(version));
    Path jarFile = Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
    Path pomFile = Files.writeString(dir.resolve(artifact + "-" + version + ".pom"), pom,
        StandardCharsets.UTF_8);
    // Maven checks downloads against these; without them it warns on every first build.
    for (Path f : new Path[] {jarFile, pomFile}) {
      Files.writeString(f.resolveSibling(f.getFileName() + ".sha1"), digest("SHA-1", f));
    }
  }

  private static String digest(String algorithm, Path... files) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance(algorithm);
      for (Path f : files) {
        d.update(Files.readAllBytes(f));
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean usesLincheck(Path tests) throws IOException {
    if (!Files.isDirectory(tests)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(tests)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
        if (Files.readString(p).contains("org.jetbrains.lincheck")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String dependency(String group, String artifact, String version, String scope) {
    return "    <dependency>\n      <groupId>" + group + "</groupId>\n      <artifactId>" + artifact
        + "</artifactId>\n      <version>" + version + "</version>\n"
        + (scope == null ? "" : "      <scope>" + scope + "</scope>\n") + "    </dependency>\n";
  }

  private static String pomHead(String artifact, String version) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        + "  <modelVersion>4.0.0</modelVersion>\n"
        + "  <groupId>" + GROUP + "</groupId>\n"
        + "  <artifactId>" + artifact + "</artifactId>\n"
        + "  <version>" + version + "</version>\n";
  }

  private static String enginePom(String version, Properties v) {
    return pomHead(ENGINE, version) + "  <dependencies>\n"
        + dependency("net.java.dev.jna", "jna", v.getProperty("jna.version"), null)
        + dependency("org.hdrhistogram", "HdrHistogram", v.getProperty("hdrhistogram.version"),
            null)
        + dependency("info.picocli", "picocli", v.getProperty("picocli.version"), null)
        + dependency("com.fasterxml.jackson.core", "jackson-databind",
            v.getProperty("jackson.version"), null)
        + "  </dependencies>\n</project>\n";
  }

  private static String supportPom(String version, Properties v) {
    return pomHead(SUPPORT, version) + "  <dependencies>\n"
        + dependency(GROUP, ENGINE, version, null)
        + dependency("org.junit.jupiter", "junit-jupiter-api", v.getProperty("junit.version"),
            null)
        + "  </dependencies>\n</project>\n";
  }

  private static String plugin(String artifact, String version, String configuration) {
    return "      <plugin>\n        <groupId>org.apache.maven.plugins</groupId>\n"
        + "        <artifactId>" + artifact + "</artifactId>\n        <version>" + version
        + "</version>\n" + configuration + "      </plugin>\n";
  }

  private static String handoutPom(Exercise ex, String version, Properties v, boolean lincheck) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<!-- The hand-out of Kallisto's exercise " + ex.name() + ". 'mvn test' runs the visible\n"
        + "     tests; your instructor grades with the hidden tests too (kallisto grade). The engine\n"
        + "     and the grading support come from lib/repo, so no Kallisto checkout is needed. -->\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        + "  <modelVersion>4.0.0</modelVersion>\n"
        + "  <groupId>student</groupId>\n"
        + "  <artifactId>" + ex.name() + "</artifactId>\n"
        + "  <version>1.0</version>\n\n"
        + "  <properties>\n"
        + "    <maven.compiler.release>17</maven.compiler.release>\n"
        + "    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>\n"
        + "  </properties>\n\n"
        + "  <repositories>\n    <repository>\n      <id>kallisto-handout</id>\n"
        + "      <url>file://${project.basedir}/lib/repo</url>\n    </repository>\n"
        + "  </repositories>\n\n"
        + "  <dependencies>\n"
        + dependency(GROUP, ENGINE, version, null)
        + dependency(GROUP, SUPPORT, version, "test")
        + dependency("org.junit.jupiter", "junit-jupiter", v.getProperty("junit.version"), "test")
        + (lincheck ? dependency("org.jetbrains.lincheck", "lincheck",
            v.getProperty("lincheck.version"), "test") : "")
        + "  </dependencies>\n\n"
        + "  <build>\n    <plugins>\n"
        // Pinned: Debian's Maven 3.8.7 defaults to a compiler plugin that cannot build Java 17.
        + plugin("maven-clean-plugin", v.getProperty("clean-plugin.version"), "")
        + plugin("maven-resources-plugin", v.getProperty("resources-plugin.version"), "")
        + plugin("maven-compiler-plugin", v.getProperty("compiler-plugin.version"), "")
        + plugin("maven-surefire-plugin", v.getProperty("surefire-plugin.version"),
            "        <configuration>\n          <systemPropertyVariables>\n"
            + "            <kallisto.grade.traces>${project.build.directory}/kallisto-traces"
            + "</kallisto.grade.traces>\n"
            + "          </systemPropertyVariables>\n        </configuration>\n")
        + "    </plugins>\n  </build>\n</project>\n";
  }

  /** The section the hand-out's README gets: how to build and test without a checkout. */
  static String readmeSection(Exercise ex) {
    return "\n## Working on the hand-out\n"
        + "You need JDK 17+ and Maven 3.8+; nothing else (the engine is in `lib/repo`).\n"
        + "```\n"
        + "mvn test                                  # the visible tests\n"
        + "mvn test -Dtest='SomeTest#someMethod'     # one test\n"
        + "```\n"
        + "A failing test that runs an event loop leaves the trace of its run under\n"
        + "`target/kallisto-traces/`; the failure message says which file. Open it with\n"
        + "`kallisto view FILE` from a Kallisto checkout. A simulated test names the seed that\n"
        + "failed; run it again with `-Dkallisto.grade.seed=N` to replay exactly that run.\n"
        + (Files.isRegularFile(ex.rules())
            ? "\nThe rules the grader checks by machine are in `rules.txt`: using any class it\n"
                + "lists scores 0.\n" : "")
        + "\nYour instructor grades with `kallisto grade " + ex.name() + " --src src/main/java`,\n"
        + "which runs these visible tests and hidden ones, one JVM per test class, with a time\n"
        + "limit and a memory cap.\n";
  }
}
