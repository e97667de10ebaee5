package io.streamfold.schemas.registry;

class InMemorySchemaRegistryTest extends SchemaRegistryContract {
  private final SchemaRegistry registry = new InMemorySchemaRegistry();

  @Override
  SchemaRegistry registry() {
    return registry;
  }
}
