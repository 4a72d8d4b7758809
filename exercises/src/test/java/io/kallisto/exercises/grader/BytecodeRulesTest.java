package io.kallisto.exercises.grader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the rules check finds in compiled classes: each family of the grader's default list
 * (a test per family names the rule it needs, so removing the rule fails it), the exercise's
 * own rules, and what must stay allowed (lambdas, string concatenation, records, VarHandles).
 */
class BytecodeRulesTest {
  @TempDir
  Path dir;

  /** Compiles {@code source} (one class {@code p.Student}) and checks it. */
  private List<BytecodeRules.Breach> check(String rules, String source) throws IOException {
    Path src = dir.resolve("src/p/Student.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = dir.resolve("classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, System.err, "--release", "17", "-nowarn", "-d",
        classes.toString(), "-cp", GradingClassPath.dependencies().stream().map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator)), src.toString());
    assertEquals(0, rc, "expected the fixture to compile");
    return BytecodeRules.forExercise(Files.writeString(dir.resolve("rules.txt"), rules))
        .check(classes);
  }

  private List<BytecodeRules.Breach> check(String body) throws IOException {
    return check("", "package p;\nclass Student {\n" + body + "\n}\n");
  }

  private static void assertBreaks(List<BytecodeRules.Breach> breaches, String rule) {
    assertTrue(breaches.stream().anyMatch(b -> b.rule().equals(rule) && b.sandbox()),
        "expected a breach of the default rule " + rule + " in " + breaches);
  }

  @Test
  void reflectionIsABreachByPackageByForNameAndByResourceReading() throws IOException {
    List<BytecodeRules.Breach> b = check("Object f() throws Exception {\n"
        + "  java.lang.reflect.Field f = String.class.getDeclaredField(\"value\");\n"
        + "  Class<?> c = Class.forName(\"p.\" + f.getName());\n"
        + "  return Student.class.getResourceAsStream(\"/exercises/x\"); }");
    assertBreaks(b, "java.lang.reflect.*");
    assertBreaks(b, "java.lang.Class#forName");
    assertBreaks(b, "java.lang.Class#getDeclared*");
    assertBreaks(b, "java.lang.Class#getResource*");
  }

  @Test
  void aMethodReferenceToForNameIsABreachAtItsLine() throws IOException {
    List<BytecodeRules.Breach> b = check("java.util.function.Function<String, Object> f() {\n"
        + "  return n -> n;\n}\n"
        + "Object g() {\n  java.util.function.Function<String, Object> h = s -> s;\n"
        + "  ThrowingLoader l = Class::forName; return l; }\n"
        + "interface ThrowingLoader { Class<?> load(String n) throws Exception; }");
    BytecodeRules.Breach forName = b.stream()
        .filter(x -> x.rule().equals("java.lang.Class#forName"))
        .findFirst().orElseThrow(() -> new AssertionError("no forName breach in " + b));
    assertEquals("Student.java", forName.sourceFile());
    assertEquals(8, forName.line(), forName.toString());
  }

  @Test
  void methodHandlesAreABreachButLambdasConcatenationRecordsAndVarHandlesAreNot()
      throws IOException {
    assertEquals(List.of(), check("record R(int a, String b) {}\n"
        + "static final java.lang.invoke.VarHandle V;\n"
        + "static { try { V = java.lang.invoke.MethodHandles.lookup()"
        + ".findVarHandle(Student.class, \"x\", int.class); }"
        + " catch (ReflectiveOperationException e) { throw new Error(e); } }\n"
        + "volatile int x;\n"
        + "String f(int n) { Runnable r = () -> {}; java.util.function.IntFunction<String> g ="
        + " Integer::toString; V.compareAndSet(this, 0, n); return \"n=\" + n + g.apply(n)"
        + " + new R(n, \"s\"); }"));
    assertBreaks(check("Object f() throws Throwable {\n"
        + "  return java.lang.invoke.MethodHandles.lookup().findClass(\"p.Student\"); }"),
        "java.lang.invoke.*#*");
  }

  @Test
  void unsafeAndJdkInternalsAreABreach() throws IOException {
    assertBreaks(check("Object u() { return sun.misc.Unsafe.class; }"), "sun.**");
  }

  @Test
  void classLoadersAreABreach() throws IOException {
    assertBreaks(check("Object f() { return ClassLoader.getSystemClassLoader(); }"),
        "java.lang.ClassLoader");
  }

  @Test
  void theGradersLibrariesAndRunnerAreABreachAboveAllTheAgentThatHandsOutInstrumentation()
      throws IOException {
    List<BytecodeRules.Breach> b = check("Object f() {\n"
        + "  Object i = net.bytebuddy.agent.ByteBuddyAgent.install();\n"
        + "  Object l = org.jetbrains.lincheck.datastructures.ModelCheckingOptions.class;\n"
        + "  Object k = kotlin.Unit.INSTANCE;\n"
        + "  return \"io.kallisto.exercises.grader.ForkChannel\"; }");
    assertBreaks(b, "net.**");
    assertBreaks(b, "org.**");
    assertBreaks(b, "kotlin.**");
    assertBreaks(b, "io.kallisto.exercises.grader.**");
  }

  @Test
  void endingTheJvmIsABreach() throws IOException {
    List<BytecodeRules.Breach> b = check("void f() { System.exit(0); Runtime.getRuntime()"
        + ".halt(1); }");
    assertBreaks(b, "java.lang.System#exit");
    assertBreaks(b, "java.lang.Runtime#halt");
  }

  @Test
  void processesAreABreach() throws IOException {
    List<BytecodeRules.Breach> b = check("Object f() throws Exception { new ProcessBuilder(\"x\");"
        + " return ProcessHandle.current(); }");
    assertBreaks(b, "java.lang.ProcessBuilder");
    assertBreaks(b, "java.lang.ProcessHandle");
  }

  @Test
  void filesAreABreachAlsoThroughAFileNameConstructor() throws IOException {
    List<BytecodeRules.Breach> b = check("Object f() throws Exception {\n"
        + "  new java.io.FileOutputStream(\"x\").close();\n"
        + "  new java.io.PrintStream(\"y\").close();\n"
        + "  return java.nio.file.Files.readString(java.nio.file.Path.of(\"z\")); }");
    assertBreaks(b, "java.io.File*");
    assertBreaks(b, "java.io.PrintStream#<init>(Ljava/lang/String;*");
    assertBreaks(b, "java.nio.file.**");
    assertEquals(List.of(), check("Object f() { return new java.io.PrintStream("
        + "new java.io.ByteArrayOutputStream()); }"), "a stream to memory is no file");
  }

  @Test
  void socketsAndChannelsAreABreach() throws IOException {
    List<BytecodeRules.Breach> b = check("Object f() throws Exception { new java.net.Socket();"
        + " return java.nio.channels.SocketChannel.open(); }");
    assertBreaks(b, "java.net.**");
    assertBreaks(b, "java.nio.channels.**");
  }

  @Test
  void nativeCodeIsABreachLoadedOrDeclared() throws IOException {
    List<BytecodeRules.Breach> b = check("native int peek(long a);\n"
        + "void f() { System.loadLibrary(\"c\"); }");
    assertBreaks(b, "java.lang.System#load*");
    assertBreaks(b, "native");
  }

  @Test
  void threadStopIsABreachAlsoThroughASubclass() throws IOException {
    assertBreaks(check("static class T extends Thread {}\n"
        + "@SuppressWarnings(\"removal\") void f(T t) { t.stop(); }"), "java.lang.Thread#stop");
  }

  @Test
  void theEnvironmentIsABreach() throws IOException {
    assertBreaks(check("String f() { return System.getenv(\"SECRET\"); }"),
        "java.lang.System#getenv");
  }

  @Test
  void spacingEscapesAndFullyQualifiedNamesCannotHideAnExerciseRuleBreach() throws IOException {
    String rules = "# comment\njava.util.PriorityQueue  no sorted collection\n";
    for (String use : List.of("java.util . PriorityQueue", "java.util.\\u0050riorityQueue",
        "java\n  .util.PriorityQueue")) {
      List<BytecodeRules.Breach> b = check(rules, "package p;\nclass Student {\n"
          + "  Object q() {\n    return new " + use + "<Integer>();\n  }\n}\n");
      assertEquals(1, b.size(), use + ": " + b);
      assertTrue(b.get(0).toString().startsWith(
          "Student.java:4 uses java.util.PriorityQueue: no sorted collection ("), b.toString());
      assertTrue(!b.get(0).sandbox(), "an exercise rule is not a sandbox rule");
    }
  }

  @Test
  void aStringNamingAForbiddenClassDottedOrSlashedIsABreach() throws IOException {
    String rules = "io.kallisto.event.MpscChunkedPostQueue  write the queue yourself\n";
    for (String s : List.of("io.kallisto.event.MpscChunkedPostQueue",
        "io/kallisto/event/MpscChunkedPostQueue")) {
      List<BytecodeRules.Breach> b = check(rules, "package p;\nclass Student {\n"
          + "  String n = \"" + s + "\";\n}\n");
      assertEquals(1, b.size(), b.toString());
      assertTrue(b.get(0).what().contains(s), b.toString());
    }
  }

  @Test
  void commentsImportsAndLookalikeNamesAreNotBreaches() throws IOException {
    assertEquals(List.of(), check("java.util.PriorityQueue x\njava.util.concurrent.* y\n",
        "package p;\nimport java.util.PriorityQueue;\n"
            + "import java.util.concurrent.atomic.AtomicLong;\n"
            + "// a PriorityQueue would be easier\n/* java.util.PriorityQueue */\n"
            + "class Student {\n  String s = \"a PriorityQueue\";\n"
            + "  AtomicLong n = new AtomicLong();\n}\n"));
  }

  @Test
  void aPackageRuleForbidsItsClassesButNotItsSubpackages() throws IOException {
    String rules = "java.util.concurrent.*  no java.util.concurrent classes\n";
    assertEquals(List.of(), check(rules, "package p;\nclass Student {\n"
        + "  Object a = new java.util.concurrent.atomic.AtomicReference<>();\n}\n"));
    assertEquals(1, check(rules, "package p;\nclass Student {\n"
        + "  Object a = new java.util.concurrent.ConcurrentLinkedQueue<>();\n}\n").size());
  }

  @Test
  void anAllowLineInTheExercisesRulesLetsADefaultRuleGo() throws IOException {
    String body = "package p;\nclass Student {\n"
        + "  Object a = new java.net.InetSocketAddress(0);\n}\n";
    assertBreaks(check("", body), "java.net.**");
    assertEquals(List.of(), check("+java.net.InetSocketAddress  addresses only\n", body));
  }

  @Test
  void theBundledReferencesAndStartersKeepEveryRule() throws IOException {
    List<String> found = new ArrayList<>();
    for (String name : Exercise.bundledNames()) {
      Exercise ex = Exercise.bundled(name);
      for (Path tree : List.of(ex.solution(), ex.starter())) {
        List<String> args = new ArrayList<>(List.of("--release", "17", "-nowarn", "-cp",
            GradingClassPath.dependencies().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator))));
        Path classes = dir.resolve(name + "-" + tree.getFileName());
        args.addAll(List.of("-d", classes.toString()));
        for (Path t : List.of(tree, ex.given())) {
          if (Files.isDirectory(t)) {
            try (Stream<Path> s = Files.walk(t)) {
              s.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
            }
          }
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, System.err,
            args.toArray(String[]::new)), name);
        BytecodeRules.forExercise(ex.rules()).check(classes)
            .forEach(b -> found.add(name + "/" + tree.getFileName() + ": " + b));
      }
    }
    assertEquals(List.of(), found);
  }
}
