package io.streamfold.schemas.registry;

/**
 * The registry did not answer (connection refused, time-out or 5xx) after the bounded retries. This
 * is transient: a stream processor must fail and retry, never dead-letter the record.
 */
public class RegistryUnavailableException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
