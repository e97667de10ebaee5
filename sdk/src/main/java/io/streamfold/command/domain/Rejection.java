package io.streamfold.command.domain;

/**
 * Why a command was refused.
 *
 * @param kind the class of refusal, which decides the HTTP status
 * @param code stable and machine-readable, e.g. {@code insufficient-funds}
 * @param message for people
 */
public record Rejection(Kind kind, String code, String message) {

  /** Classes of refusal. */
  public enum Kind {
    /** The aggregate exists and the command needs it not to (HTTP 409). */
    ALREADY_EXISTS,
    /** The aggregate does not exist and the command needs it (HTTP 404). */
    NOT_FOUND,
    /** The expected version does not match the current one (HTTP 412). */
    VERSION_MISMATCH,
    /** A business rule refuses the command in the current state (HTTP 422). */
    BUSINESS_RULE,
    /** The command itself is invalid, whatever the state (HTTP 400). */
    INVALID_COMMAND
  }

  public static Rejection alreadyExists(String message) {
    return new Rejection(Kind.ALREADY_EXISTS, "already-exists", message);
  }

  public static Rejection notFound(String message) {
    return new Rejection(Kind.NOT_FOUND, "not-found", message);
  }

  public static Rejection businessRule(String code, String message) {
    return new Rejection(Kind.BUSINESS_RULE, code, message);
  }

  public static Rejection invalid(String code, String message) {
    return new Rejection(Kind.INVALID_COMMAND, code, message);
  }
}
