package io.streamfold.devstack;

/**
 * One broker and one registry per JVM, started on first use and stopped when the JVM exits, so that
 * the integration tests of a module share their start-up cost. Tests stay isolated by using their
 * own topic names, application ids and subjects.
 */
public final class SharedStack {
  private static KafkaBroker broker;
  private static ApicurioRegistry registry;

  private SharedStack() {}

  public static synchronized KafkaBroker broker() {
    if (broker == null) {
      broker = KafkaBroker.startTemporary();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-broker-stop"));
    }
    return broker;
  }

  public static synchronized ApicurioRegistry registry() {
    if (registry == null) {
      registry = ApicurioRegistry.startTemporary();
      Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "shared-registry-stop"));
    }
    return registry;
  }
}
