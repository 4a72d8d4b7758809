package io.kallisto.exercises.grader;

import static io.kallisto.exercises.grader.ClassFileDescriptor.s4;
import static io.kallisto.exercises.grader.ClassFileDescriptor.u2;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One class file read as far as the rules check needs ({@link ClassFileDescriptor}): the
 * constant pool, the declared fields and methods, the source file name, and for each constant
 * the first source line whose code uses it (directly, or through a member reference, a method
 * handle or an {@code invokedynamic}'s bootstrap arguments).
 *
 * <p>Not thread-safe; build one per file. Class names are in internal form ({@code a/b/C}).
 */
final class ClassFileReader {
  /** A declared field or method. */
  record Member(int access, String name, String descriptor, String signature) {}

  private final byte[] b;
  private final int[] tag;
  private final int[] at;
  private final String[] utf8;
  private final int[] firstLine;
  private final List<Member> fields = new ArrayList<>();
  private final List<Member> methods = new ArrayList<>();
  private final List<String> superTypes = new ArrayList<>();
  private final List<int[]> bootstrap = new ArrayList<>();
  private final List<int[]> codes = new ArrayList<>(); // {code start, length, lnt start or -1}
  private String sourceFile;
  private String signature;
  private final String thisClass;

  /** @throws IllegalArgumentException if {@code bytes} is not a class file */
  ClassFileReader(byte[] bytes) {
    this.b = bytes;
    if (bytes.length < 10 || s4(bytes, 0) != ClassFileDescriptor.MAGIC) {
      throw new IllegalArgumentException("not a class file (no 0xCAFEBABE)");
    }
    int count = u2(b, 8);
    tag = new int[count];
    at = new int[count];
    utf8 = new String[count];
    firstLine = new int[count];
    Arrays.fill(firstLine, Integer.MAX_VALUE);
    int p = 10;
    for (int i = 1; i < count; i++) {
      tag[i] = b[p] & 0xff;
      at[i] = p + 1;
      if (tag[i] == ClassFileDescriptor.UTF8) {
        int len = u2(b, p + 1);
        utf8[i] = decode(p + 1, len);
        p += 3 + len;
      } else {
        p += 1 + ClassFileDescriptor.entrySize(tag[i]);
        if (ClassFileDescriptor.wide(tag[i])) {
          i++;
        }
      }
    }
    thisClass = className(u2(b, p + 2));
    if (u2(b, p + 4) != 0) {
      superTypes.add(className(u2(b, p + 4)));
    }
    int interfaces = u2(b, p + 6);
    for (int k = 0; k < interfaces; k++) {
      superTypes.add(className(u2(b, p + 8 + 2 * k)));
    }
    p += 8 + 2 * interfaces;
    p = members(p, fields);
    p = members(p, methods);
    int attributes = u2(b, p);
    p += 2;
    for (int a = 0; a < attributes; a++) {
      String name = utf8[u2(b, p)];
      int len = s4(b, p + 2);
      int info = p + 6;
      if ("SourceFile".equals(name)) {
        sourceFile = utf8[u2(b, info)];
      } else if ("Signature".equals(name)) {
        signature = utf8[u2(b, info)];
      } else if ("BootstrapMethods".equals(name)) {
        int q = info + 2;
        for (int m = u2(b, info); m > 0; m--) {
          int args = u2(b, q + 2);
          int[] entry = new int[1 + args];
          entry[0] = u2(b, q);
          for (int k = 0; k < args; k++) {
            entry[1 + k] = u2(b, q + 4 + 2 * k);
          }
          bootstrap.add(entry);
          q += 4 + 2 * args;
        }
      }
      p = info + len;
    }
    for (int[] code : codes) {
      lines(code[0], code[1], code[2]);
    }
  }

  private int members(int p, List<Member> into) {
    int n = u2(b, p);
    p += 2;
    for (int m = 0; m < n; m++) {
      int access = u2(b, p);
      String name = utf8[u2(b, p + 2)];
      String descriptor = utf8[u2(b, p + 4)];
      String sig = null;
      int attributes = u2(b, p + 6);
      p += 8;
      for (int a = 0; a < attributes; a++) {
        String attr = utf8[u2(b, p)];
        int len = s4(b, p + 2);
        int info = p + 6;
        if ("Signature".equals(attr)) {
          sig = utf8[u2(b, info)];
        } else if ("Code".equals(attr)) {
          int codeLength = s4(b, info + 4);
          int q = info + 8 + codeLength;
          q += 2 + 8 * u2(b, q);
          int lnt = -1;
          for (int c = u2(b, q), r = q + 2; c > 0; c--) {
            if ("LineNumberTable".equals(utf8[u2(b, r)])) {
              lnt = r + 6;
            }
            r += 6 + s4(b, r + 2);
          }
          codes.add(new int[] {info + 8, codeLength, lnt});
        }
        p = info + len;
      }
      into.add(new Member(access, name, descriptor, sig));
    }
    return p;
  }

  /** Walks one method's code, giving each constant it reaches the line of its first use. */
  private void lines(int start, int length, int lnt) {
    byte[] code = Arrays.copyOfRange(b, start, start + length);
    for (int pc = 0; pc < length; pc += ClassFileDescriptor.instructionLength(code, pc)) {
      int op = code[pc] & 0xff;
      int index = op == ClassFileDescriptor.LDC ? code[pc + 1] & 0xff
          : ClassFileDescriptor.hasU2ConstantOperand(op) ? u2(code, pc + 1) : 0;
      if (index != 0) {
        reach(index, lineAt(lnt, pc));
      }
    }
  }

  private int lineAt(int lnt, int pc) {
    int best = -1;
    int line = 0;
    for (int i = 0, n = lnt < 0 ? 0 : u2(b, lnt); i < n; i++) {
      int startPc = u2(b, lnt + 2 + 4 * i);
      if (startPc <= pc && startPc > best) {
        best = startPc;
        line = u2(b, lnt + 4 + 4 * i);
      }
    }
    // Code without a line table still counts as used, at an unknown line.
    return line == 0 ? Integer.MAX_VALUE - 1 : line;
  }

  private void reach(int index, int line) {
    if (index <= 0 || index >= tag.length || firstLine[index] <= line) {
      return;
    }
    firstLine[index] = line;
    switch (tag[index]) {
      case ClassFileDescriptor.FIELDREF: case ClassFileDescriptor.METHODREF:
      case ClassFileDescriptor.INTERFACE_METHODREF:
        reach(ref1(index), line);
        reach(ref2(index), line);
        break;
      case ClassFileDescriptor.METHOD_HANDLE:
        reach(u2(b, at[index] + 1), line);
        break;
      case ClassFileDescriptor.DYNAMIC: case ClassFileDescriptor.INVOKE_DYNAMIC:
        for (int arg : bootstrap.get(ref1(index))) {
          reach(arg, line);
        }
        reach(ref2(index), line);
        break;
      default:
        break;
    }
  }

  private String decode(int from, int len) {
    try {
      return new DataInputStream(new ByteArrayInputStream(b, from, 2 + len)).readUTF();
    } catch (IOException e) {
      throw new UncheckedIOException("malformed UTF-8 constant at byte " + from, e);
    }
  }

  /** Constant-pool slots (index 0 and the second slot of LONG and DOUBLE have tag 0). */
  int size() {
    return tag.length;
  }

  int tag(int index) {
    return tag[index];
  }

  /** The first u2 of an entry: CLASS's and STRING's UTF8, a member's CLASS, a NAT's name. */
  int ref1(int index) {
    return u2(b, at[index]);
  }

  /** The second u2 of an entry: a member's NAME_AND_TYPE, a NAT's descriptor. */
  int ref2(int index) {
    return u2(b, at[index] + 2);
  }

  /** The member reference a METHOD_HANDLE entry points at. */
  int handleReference(int index) {
    return u2(b, at[index] + 1);
  }

  String utf8(int index) {
    return utf8[index];
  }

  /** The name of a CLASS entry (internal form, or an array descriptor). */
  String className(int index) {
    return utf8[ref1(index)];
  }

  /** The first source line whose code uses entry {@code index}, or 0 if none does. */
  int line(int index) {
    return firstLine[index] >= Integer.MAX_VALUE - 1 ? 0 : firstLine[index];
  }

  /** This class's name, internal form. */
  String thisClass() {
    return thisClass;
  }

  /** The SourceFile attribute, or null. */
  String sourceFile() {
    return sourceFile;
  }

  /** The class's generic Signature attribute, or null. */
  String signature() {
    return signature;
  }

  /** The superclass (none for java.lang.Object) and the interfaces, internal form. */
  List<String> superTypes() {
    return superTypes;
  }

  List<Member> fields() {
    return fields;
  }

  List<Member> methods() {
    return methods;
  }
}
