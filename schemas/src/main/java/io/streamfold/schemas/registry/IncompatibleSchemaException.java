package io.streamfold.schemas.registry;

/** The registry refused a schema under the subject's compatibility level (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public IncompatibleSchemaException(String message) {
    super(message);
  }
}
