package io.streamfold.projection.events;

import io.streamfold.projection.plugin.ViewProjection;
import io.streamfold.schemas.registry.SchemaRegistry;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;

/**
 * A plugged-in collection's events as this service shows them (stream reads, subscriptions, dead
 * letters): read by the plug-in's own {@link ViewProjection#decoder decoder} when it yields Avro
 * records, as the bank's do, so an event shows in the contract its projector folds (an older major
 * upcast to the current one, every field resolved to the plug-in's schema); with its writer's
 * schema otherwise ({@link GenericEvents}: a decoder of another kind, or bytes the plug-in's
 * decoder refuses, which the generic reading then reads or refuses itself).
 */
public final class PluginEvents {
  private PluginEvents() {}

  public static <E> Function<byte[], IndexedRecord> of(
      ViewProjection<E, ?> view, SchemaRegistry registry, GenericEvents generic) {
    Function<byte[], E> own = view.decoder(registry);
    return bytes -> {
      Object event;
      try {
        event = own.apply(bytes);
      } catch (io.streamfold.schemas.registry.RegistryUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        return generic.decode(bytes);
      }
      return event instanceof IndexedRecord record ? record : generic.decode(bytes);
    };
  }
}
