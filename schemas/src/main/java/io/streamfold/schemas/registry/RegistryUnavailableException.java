package io.streamfold.schemas.registry;

/**
 * The registry could not be used: it did not answer (connection refused, time-out, 5xx or 429 after
 * the bounded retries), refused our credentials, or answered something that is not its API. A
 * failure of the infrastructure, never of a record: a stream processor must fail and retry, never
 * dead-letter the record; a command is answered 503.
 */
public class RegistryUnavailableException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
