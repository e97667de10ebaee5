package io.streamfold.service.config;

/** A configuration variable is missing or invalid. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String variable, String problem) {
    super("Configuration error: " + variable + " " + problem);
  }
}
