package io.kallisto.trace;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Names a lambda or method reference by the method that declared it, for callbacks the engine
 * did not name: {@code "lambda in StallDetector.touchTimer"}, {@code "CountDownLatch.countDown"}.
 *
 * <p>A lambda's class is a hidden class whose name says only its host class. javac compiles the
 * body into a private method of the host named {@code lambda$<enclosing method>$<n>}, whose
 * parameters are the captured values (after the receiver, for an instance method) followed by
 * the interface method's. The hidden class keeps the captured values in fields {@code arg$1},
 * {@code arg$2}, ... in that order, so matching those types and the interface method's
 * parameters against the host's {@code lambda$} methods finds the enclosing method. When several
 * enclosing methods fit, all are named. Called once per class (labels are cached), never on the
 * hot path.
 */
final class LambdaLabels {
  private static final String MARKER = "$$Lambda";

  private LambdaLabels() {}

  /** True if {@code type} is a lambda's or method reference's class. */
  static boolean isLambda(Class<?> type) {
    return type.getName().contains(MARKER);
  }

  /** The label for a lambda's class; see the class comment. */
  static String label(Class<?> lambda) {
    String name = lambda.getName();
    String hostName = name.substring(0, name.indexOf(MARKER));
    String host = simple(hostName);
    try {
      Class<?> hostClass = lambda.getNestHost();
      Method sam = interfaceMethod(lambda);
      List<Class<?>> captured = capturedTypes(lambda);
      if (sam != null && hostClass.getName().equals(hostName)) {
        TreeSet<String> enclosing = enclosingMethods(hostClass, captured, sam);
        if (!enclosing.isEmpty()) {
          return "lambda in " + host + "." + String.join(" or ", enclosing);
        }
        String target = referencedMethod(hostClass, captured, sam);
        if (target != null) {
          return target;
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // Reflection refused (a security manager, a class that cannot load): name the host only.
    }
    return "method reference in " + host;
  }

  /** The interface method the lambda class implements: its one public, non-bridge method. */
  private static Method interfaceMethod(Class<?> lambda) {
    Method found = null;
    for (Method m : lambda.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && !m.isBridge() && !m.isSynthetic()
          && !Modifier.isStatic(m.getModifiers())) {
        if (found != null) {
          return null;
        }
        found = m;
      }
    }
    return found;
  }

  /** The types of the captured values, in capture order ({@code arg$1}, {@code arg$2}, ...). */
  private static List<Class<?>> capturedTypes(Class<?> lambda) {
    List<Field> fields = new ArrayList<>();
    for (Field f : lambda.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("arg$")) {
        fields.add(f);
      }
    }
    fields.sort(Comparator.comparingInt(f -> Integer.parseInt(f.getName().substring(4))));
    List<Class<?>> types = new ArrayList<>();
    fields.forEach(f -> types.add(f.getType()));
    return types;
  }

  /** Names of the host's methods whose {@code lambda$} bodies fit the captures and interface. */
  private static TreeSet<String> enclosingMethods(Class<?> host, List<Class<?>> captured,
      Method sam) {
    TreeSet<String> names = new TreeSet<>();
    for (Method m : host.getDeclaredMethods()) {
      String n = m.getName();
      int last = n.lastIndexOf('$');
      if (!m.isSynthetic() || !n.startsWith("lambda$") || last <= "lambda$".length()) {
        continue;
      }
      if (fits(m, host, captured, sam)) {
        names.add(readable(n.substring("lambda$".length(), last)));
      }
    }
    return names;
  }

  /**
   * For a method reference with no body of its own: the one method of the receiver's class (the
   * first capture) or the host that takes the interface method's parameters, or null.
   */
  private static String referencedMethod(Class<?> host, List<Class<?>> captured, Method sam) {
    Class<?> owner = captured.isEmpty() ? host : captured.get(0);
    List<Class<?>> rest = captured.isEmpty() ? captured : captured.subList(1, captured.size());
    for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
      TreeSet<String> names = new TreeSet<>();
      TreeSet<String> sameReturn = new TreeSet<>();
      for (Method m : c.getDeclaredMethods()) {
        if (!m.isSynthetic() && !Modifier.isStatic(m.getModifiers()) != captured.isEmpty()
            && paramsFit(m.getParameterTypes(), rest, sam.getParameterTypes())
            && throwsOnlyWhatTheInterfaceAllows(m, sam)
            && returnFits(m.getReturnType(), sam.getReturnType())) {
          names.add(m.getName());
          if (m.getReturnType() == sam.getReturnType()) {
            sameReturn.add(m.getName());
          }
        }
      }
      // A void interface method may discard a result, but one that returns nothing is likelier.
      TreeSet<String> best = sameReturn.isEmpty() ? names : sameReturn;
      if (!best.isEmpty()) {
        return simple(c.getName()) + "." + String.join(" or ", best);
      }
    }
    return null;
  }

  /** A method reference may not throw a checked exception its interface method does not. */
  private static boolean throwsOnlyWhatTheInterfaceAllows(Method m, Method sam) {
    for (Class<?> thrown : m.getExceptionTypes()) {
      if (RuntimeException.class.isAssignableFrom(thrown) || Error.class.isAssignableFrom(thrown)) {
        continue;
      }
      boolean allowed = false;
      for (Class<?> declared : sam.getExceptionTypes()) {
        allowed |= declared.isAssignableFrom(thrown);
      }
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private static boolean returnFits(Class<?> returned, Class<?> wanted) {
    return wanted == void.class || wanted.isAssignableFrom(returned) || returned.isPrimitive()
        || wanted.isPrimitive();
  }

  private static boolean fits(Method body, Class<?> host, List<Class<?>> captured, Method sam) {
    List<Class<?>> values = captured;
    if (!Modifier.isStatic(body.getModifiers())) {
      // An instance body captures its receiver first.
      if (captured.isEmpty() || !captured.get(0).isAssignableFrom(host)) {
        return false;
      }
      values = captured.subList(1, captured.size());
    }
    return paramsFit(body.getParameterTypes(), values, sam.getParameterTypes());
  }

  private static boolean paramsFit(Class<?>[] params, List<Class<?>> captured,
      Class<?>[] samParams) {
    if (params.length != captured.size() + samParams.length) {
      return false;
    }
    for (int i = 0; i < captured.size(); i++) {
      if (!params[i].equals(captured.get(i))) {
        return false;
      }
    }
    Class<?>[] tail = Arrays.copyOfRange(params, captured.size(), params.length);
    for (int i = 0; i < tail.length; i++) {
      // The interface's parameters are erased: a generic T is Object there.
      if (!samParams[i].isAssignableFrom(tail[i])) {
        return false;
      }
    }
    return true;
  }

  /** {@code new} and {@code static} are javac's names for constructors and initializers. */
  private static String readable(String enclosing) {
    switch (enclosing) {
      case "new":
        return "<init>";
      case "static":
        return "<clinit>";
      default:
        return enclosing;
    }
  }

  static String simple(String binaryName) {
    String s = binaryName.substring(binaryName.lastIndexOf('.') + 1);
    return s.replace('$', '.');
  }
}
