package io.streamfold.service.config;

import java.util.Map;
import java.util.TreeSet;

/**
 * Every environment variable a service started with, for the settings of its plug-ins. Printed by
 * name only: the values hold secrets (keys, passwords).
 */
public record Variables(Map<String, String> values) {
  public Variables {
    values = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(values));
  }

  @Override
  public String toString() {
    return "Variables" + new TreeSet<>(values.keySet());
  }
}
