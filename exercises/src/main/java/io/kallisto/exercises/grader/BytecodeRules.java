package io.kallisto.exercises.grader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a student's compiled classes may use, checked on the class files javac wrote rather than
 * on the sources, so that spacing, Unicode escapes, fully qualified names and reflection strings
 * cannot hide a use. Two lists apply: the grader's own ({@code default-rules.txt}, every
 * exercise: reflection, method handles, Unsafe, class loaders, exit, processes, files, sockets,
 * native code) and the exercise's {@code rules.txt}; a {@code +} line in either allows what the
 * other forbids (see {@link BytecodeRule} for the patterns).
 *
 * <p>A use is any constant-pool reference: a class (new, cast, instanceof, superclass, array
 * type), a field or method reference (also inside a method handle, a method reference or an
 * {@code invokedynamic}'s bootstrap arguments), a type in a descriptor or generic signature, or
 * a string constant naming a forbidden class dotted or slashed. A native method the student
 * declares is always a breach.
 *
 * <pre>{@code
 * List<Breach> b = BytecodeRules.forExercise(rulesTxt).check(classesDir);
 * }</pre>
 */
public final class BytecodeRules {
  /** The grader's list, applied to every exercise. */
  static final String DEFAULT_RULES = "default-rules.txt";

  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([^;<>:]+)[;<]");
  private static final String NATIVE_REASON = "native code runs outside the JVM's checks: write"
      + " the exercise in Java";

  /**
   * One breach of a rule.
   *
   * @param sandbox true for the grader's own rules: the tests are not run
   * @param sourceFile the source file the class file says it came from
   * @param line the first line that uses it, 0 if only a declaration does
   * @param rule the rule's pattern, as written
   * @param reason the rule's reason
   * @param what what was used ({@code java.lang.Class.forName}, {@code the string "..."})
   * @param classFile the class file, relative to the classes directory
   */
  public record Breach(boolean sandbox, String sourceFile, int line, String rule, String reason,
      String what, String classFile) {
    /** {@code File.java:LINE uses RULE: reason (WHAT in CLASSFILE)}. */
    @Override
    public String toString() {
      return sourceFile + (line > 0 ? ":" + line : "") + " uses " + rule + ": " + reason + " ("
          + what + " in " + classFile + ")";
    }
  }

  private final List<BytecodeRule> deny = new ArrayList<>();
  private final List<BytecodeRule> allow = new ArrayList<>();

  private BytecodeRules(List<BytecodeRule> rules) {
    for (BytecodeRule r : rules) {
      (r.allow() ? allow : deny).add(r);
    }
  }

  /** The grader's default rules and those in {@code exerciseRules} (which may not exist). */
  public static BytecodeRules forExercise(Path exerciseRules) {
    List<BytecodeRule> rules = new ArrayList<>();
    try (InputStream in = BytecodeRules.class.getResourceAsStream(DEFAULT_RULES)) {
      if (in == null) {
        throw new IllegalStateException("no " + DEFAULT_RULES + " next to "
            + BytecodeRules.class.getName());
      }
      parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), true, rules);
      if (exerciseRules != null && Files.isRegularFile(exerciseRules)) {
        parse(Files.readString(exerciseRules, StandardCharsets.UTF_8), false, rules);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading rules: " + e.getMessage(), e);
    }
    return new BytecodeRules(rules);
  }

  private static void parse(String text, boolean sandbox, List<BytecodeRule> into) {
    for (String line : text.split("\n")) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        into.add(BytecodeRule.parse(s, sandbox));
      }
    }
  }

  /** The forbidding rules, in file order, the default list first. */
  List<BytecodeRule> denyRules() {
    return deny;
  }

  /**
   * Every breach in the class files under {@code classes}: one per source file and rule, at
   * its first line, ordered by file and line.
   */
  public List<Breach> check(Path classes) {
    Map<String, ClassFileReader> byName = new LinkedHashMap<>();
    Map<String, String> fileOf = new HashMap<>();
    try (Stream<Path> s = Files.walk(classes)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".class")).sorted()
          .collect(Collectors.toList())) {
        ClassFileReader cf = new ClassFileReader(Files.readAllBytes(p));
        byName.put(cf.thisClass(), cf);
        fileOf.put(cf.thisClass(), classes.relativize(p).toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading class files under " + classes, e);
    }
    BytecodeRule.Supertypes supertypes = new Supertypes(byName);
    Map<String, Breach> first = new LinkedHashMap<>();
    for (ClassFileReader cf : byName.values()) {
      String source = cf.sourceFile() != null ? cf.sourceFile() : fileOf.get(cf.thisClass());
      for (Breach b : breaches(cf, source, fileOf.get(cf.thisClass()), supertypes)) {
        first.merge(b.sourceFile() + "\u0000" + b.rule(), b,
            (x, y) -> order(y) < order(x) ? y : x);
      }
    }
    return first.values().stream()
        .sorted(Comparator.comparing(Breach::sourceFile).thenComparingInt(BytecodeRules::order))
        .collect(Collectors.toList());
  }

  private static int order(Breach b) {
    return b.line() == 0 ? Integer.MAX_VALUE : b.line();
  }

  private List<Breach> breaches(ClassFileReader cf, String source, String classFile,
      BytecodeRule.Supertypes supertypes) {
    List<Breach> out = new ArrayList<>();
    for (int i = 1; i < cf.size(); i++) {
      int line = cf.line(i);
      switch (cf.tag(i)) {
        case ClassFileDescriptor.CLASS:
          types(cf.className(i), line, source, classFile, out);
          break;
        case ClassFileDescriptor.FIELDREF: case ClassFileDescriptor.METHODREF:
        case ClassFileDescriptor.INTERFACE_METHODREF: {
          String owner = cf.className(cf.ref1(i));
          int nat = cf.ref2(i);
          String name = cf.utf8(cf.ref1(nat));
          String desc = cf.utf8(cf.ref2(nat));
          types(owner, line, source, classFile, out);
          types(desc, line, source, classFile, out);
          for (BytecodeRule r : deny) {
            if (r.coversMember(owner, name, desc, supertypes)
                && allow.stream().noneMatch(a -> a.coversMember(owner, name, desc, supertypes))) {
              out.add(new Breach(r.sandbox(), source, line, r.pattern(), r.reason(),
                  owner.replace('/', '.') + "." + name, classFile));
            }
          }
          break;
        }
        case ClassFileDescriptor.NAME_AND_TYPE:
          types(cf.utf8(cf.ref2(i)), line, source, classFile, out);
          break;
        case ClassFileDescriptor.METHOD_TYPE:
          types(cf.utf8(cf.ref1(i)), line, source, classFile, out);
          break;
        case ClassFileDescriptor.STRING:
          strings(cf.utf8(cf.ref1(i)), line, source, classFile, out);
          break;
        default:
          break;
      }
    }
    types(cf.signature(), 0, source, classFile, out);
    for (List<ClassFileReader.Member> members : List.of(cf.fields(), cf.methods())) {
      for (ClassFileReader.Member m : members) {
        types(m.descriptor(), 0, source, classFile, out);
        types(m.signature(), 0, source, classFile, out);
      }
    }
    for (ClassFileReader.Member m : cf.methods()) {
      if ((m.access() & ClassFileDescriptor.ACC_NATIVE) != 0) {
        out.add(new Breach(true, source, 0, "native", NATIVE_REASON,
            "native method " + m.name(), classFile));
      }
    }
    return out;
  }

  /** Checks every class named in {@code text}: a class name, an array type, a descriptor. */
  private void types(String text, int line, String source, String classFile, List<Breach> out) {
    if (text == null) {
      return;
    }
    List<String> names = new ArrayList<>();
    if (text.startsWith("(") || text.startsWith("[") || text.startsWith("<")
        || (text.startsWith("L") && text.endsWith(";"))) {
      Matcher m = TYPE_IN_DESCRIPTOR.matcher(text);
      while (m.find()) {
        names.add(m.group(1));
      }
    } else {
      names.add(text);
    }
    for (String name : names) {
      for (BytecodeRule r : deny) {
        if (r.coversType(name) && allow.stream().noneMatch(a -> a.coversType(name))) {
          out.add(new Breach(r.sandbox(), source, line, r.pattern(), r.reason(),
              name.replace('/', '.'), classFile));
        }
      }
    }
  }

  private void strings(String text, int line, String source, String classFile,
      List<Breach> out) {
    for (BytecodeRule r : deny) {
      String named = r.typeNamedIn(text);
      if (named != null && allow.stream().noneMatch(a -> a.coversType(named))) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        out.add(new Breach(r.sandbox(), source, line, r.pattern(), r.reason(),
            "the string \"" + shown + "\"", classFile));
      }
    }
  }

  /**
   * Supertypes from the student's class files first, then from the classes the grader's own
   * loader sees (the JDK, the engine), loaded without being initialised.
   */
  private static final class Supertypes implements BytecodeRule.Supertypes {
    private final Map<String, ClassFileReader> student;

    Supertypes(Map<String, ClassFileReader> student) {
      this.student = student;
    }

    @Override
    public boolean isSubtype(String type, String of) {
      if (type.equals(of)) {
        return true;
      }
      ClassFileReader cf = student.get(type);
      if (cf != null) {
        return cf.superTypes().stream().anyMatch(t -> isSubtype(t, of));
      }
      try {
        ClassLoader loader = BytecodeRules.class.getClassLoader();
        return Class.forName(of.replace('/', '.'), false, loader)
            .isAssignableFrom(Class.forName(type.replace('/', '.'), false, loader));
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }
}
