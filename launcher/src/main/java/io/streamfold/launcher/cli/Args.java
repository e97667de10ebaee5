package io.streamfold.launcher.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line arguments: positionals, {@code --name value} options and {@code --flag}s. */
record Args(List<String> positional, Map<String, String> options, Set<String> flags) {
  private static final Set<String> FLAGS =
      Set.of("json", "help", "all", "no-wait", "strict", "set-levels", "detach", "force");

  static Args parse(String[] arguments) {
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new HashMap<>();
    Set<String> flags = new java.util.HashSet<>();
    for (int i = 0; i < arguments.length; i++) {
      String argument = arguments[i];
      if (argument.equals("-h")) {
        flags.add("help");
      } else if (argument.startsWith("--")) {
        String name = argument.substring(2);
        int equals = name.indexOf('=');
        if (equals > 0) {
          options.put(name.substring(0, equals), name.substring(equals + 1));
        } else if (FLAGS.contains(name)) {
          flags.add(name);
        } else if (i + 1 < arguments.length) {
          options.put(name, arguments[++i]);
        } else {
          throw new IllegalArgumentException("Option --" + name + " needs a value");
        }
      } else {
        positional.add(argument);
      }
    }
    return new Args(positional, options, flags);
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  String option(String name, String otherwise) {
    return options.getOrDefault(name, otherwise);
  }

  /** A positive whole number option. */
  long number(String name, long otherwise) {
    String value = options.get(name);
    if (value == null) {
      return otherwise;
    }
    try {
      long number = Long.parseLong(value);
      if (number < 1) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be a positive whole number, not " + value);
    }
  }
}
