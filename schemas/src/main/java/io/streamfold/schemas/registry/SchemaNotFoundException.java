package io.streamfold.schemas.registry;

/** The registry has no schema with the requested id (HTTP 404). */
public class SchemaNotFoundException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public SchemaNotFoundException(String message) {
    super(message);
  }
}
