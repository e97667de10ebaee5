package io.streamfold.projection.plugin;

import io.streamfold.schemas.registry.SchemaRegistry;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A projection that keeps one view per aggregate, folded from one aggregate type's events: the
 * plug-in gives the pure parts, the platform the rest.
 *
 * <p>The plug-in: how to read an event, its key and version, the projector ({@link #apply}: view +
 * event → view, pure), the view's stored form and its JSON. The platform: the topology (a source on
 * {@code <prefix><collection>.events}, a processor and a cached RocksDB store named {@link
 * #store()}, with its changelog), idempotency by version (an event not newer than the view is
 * skipped and counted), gaps (applied, counted and kept with the view), the dead-letter queue for
 * events that cannot be read or fold, the route {@code GET /api/v1/<collection>/{id}} with {@code
 * minVersion}, forwarding to the instance that owns the key (or a standby copy's answer, for a read
 * that allows it), {@code ETag}, the list of every view ({@code GET /api/v1/<collection>}, in id
 * order, a page at a time), the store's digests, lag, metrics and the routes' OpenAPI entries. With
 * {@link #history()}, the platform also keeps the view as it was after each version: the route
 * answers {@code asOf} (the view at a past business time), and {@code GET
 * /api/v1/<collection>/{id}/history} lists the versions ({@link #renderVersion}). Personal values
 * the view keeps sealed are opened in its answers through {@link PersonalFields}; its events show
 * in stream reads, subscriptions and dead letters as {@link #decoder} reads them when that yields
 * Avro records (so upcast to the current major), and {@link #eventTypes} lets a subscription check
 * its {@code types=}.
 *
 * @param <E> the events, as {@link #decoder} reads them
 * @param <V> the view
 */
public interface ViewProjection<E, V> {

  /**
   * Names the store, its changelog and the processor, e.g. {@code transfer-views}; never change.
   */
  String store();

  /** The aggregate type whose events it folds: its topic, and the route's collection. */
  String collection();

  /** Reads an event's bytes (the registry's wire format); throws for bytes it cannot read. */
  Function<byte[], E> decoder(SchemaRegistry registry);

  /** The aggregate the event belongs to: the view's key. */
  String key(E event);

  /** The event's 1-based position in its aggregate's stream. */
  long version(E event);

  /**
   * The view after {@code event}; {@code current} is null before the aggregate's first event (or
   * when the events before this one are missing). Called only with events newer than the view.
   */
  V apply(V current, E event);

  /**
   * Whether the platform keeps every version of the view, in a store {@code <store>-history} with
   * its changelog, so that {@code GET /api/v1/<collection>/{id}?asOf=<ISO-8601>} answers the view
   * as it was right after the last event at or before that time, {@code GET
   * /api/v1/<collection>/{id}/history?from=V&limit=N} the view after each version, and {@code GET
   * /api/v1/streams/<collection>/{id}/events} the events themselves (the history keeps each event's
   * bytes; they are rendered from their writer's schema, with {@code eventId}, {@code version},
   * {@code occurredAt} and a {@code payload} union by convention). A history also lets a replayed
   * dead letter fill the gap it left: the versions after it are folded again from the events kept.
   * An event's time is its record's timestamp, which the command service sets to the event's
   * business time (never decreasing along an aggregate's versions); in a log written before that
   * rule, an event stamped earlier than the version before it counts from that version's time, so
   * {@code asOf} always answers a prefix of the stream. Costs one more store write per event and
   * the view's and the event's bytes per version. False (the default): the latest view only.
   * Turning it on for a view that has been running needs a rebuild under a new application id, or
   * its history starts at the change.
   */
  default boolean history() {
    return false;
  }

  /**
   * The view's secondary indexes: {@code GET /api/v1/<collection>?<name>=<key>} lists the ids of
   * the aggregates whose view has that key in that index (e.g. the transfers of an account). The
   * platform keeps each in a store {@code <store>-by-<name>} keyed by the index key, fed through a
   * repartition topic of the same name, so one partition answers a key; entries come and go as the
   * views' keys change. An index trails its views by that hop (eventually consistent; no {@code
   * minVersion}). Adding one to a view that has been running needs a rebuild under a new
   * application id, or it holds only the views changed since. None by default.
   */
  default List<Index<V>> indexes() {
    return List.of();
  }

  /**
   * A secondary index of a view.
   *
   * @param name the query parameter and part of the store's name; letters and digits, never changed
   * @param keys the keys a view is found under, each following the aggregate id rule ({@code
   *     [A-Za-z0-9][A-Za-z0-9._-]{0,63}}; a key that does not is left out of the index); pure
   */
  record Index<V>(String name, Function<V, Collection<String>> keys) {
    public Index {
      if (!name.matches("[A-Za-z][A-Za-z0-9]{0,31}")) {
        throw new IllegalArgumentException("An index name is 1 to 32 letters and digits: " + name);
      }
    }
  }

  /**
   * Totals over all the views, by group: {@code GET /api/v1/totals/<collection>/<name>} answers,
   * for each group, how many views are in it and the sums of their amounts (e.g. the money moved
   * per currency). The platform keeps them per partition in the views' own task (a store {@code
   * <store>-totals-<name>}: a view's change moves its contribution from its old group to its new
   * one, with no repartition) and adds the partitions up when read, from every instance (503 while
   * a partition has no active owner). None by default.
   */
  default List<Total<V>> totals() {
    return List.of();
  }

  /**
   * A total over all the views of a projection.
   *
   * @param name the route segment and part of the store's name; letters and digits, never changed
   * @param group the group a view counts in (e.g. its currency), or null for none; pure
   * @param amounts the view's amounts to add up in its group (e.g. {@code amount → 10.00}); pure
   */
  record Total<V>(
      String name, Function<V, String> group, Function<V, Map<String, BigDecimal>> amounts) {
    public Total {
      if (!name.matches("[A-Za-z][A-Za-z0-9]{0,31}")) {
        throw new IllegalArgumentException("A total's name is 1 to 32 letters and digits: " + name);
      }
    }
  }

  /**
   * The names of its events' payload types (by convention the record names of the envelope's {@code
   * payload} union), so that a subscription to the collection ({@code GET
   * /api/v1/events?collection=<collection>&types=…}) refuses a name that is none of them with 400
   * {@code unknown-event-type}, as it does for the accounts. Empty (the default): the platform does
   * not know them and takes any name.
   */
  default List<String> eventTypes() {
    return List.of();
  }

  /** The view as stored; read back by {@link #read} across releases. */
  byte[] write(V view);

  V read(byte[] stored);

  /**
   * The view as the route answers it (the platform adds {@code version}). A view that keeps
   * personal values sealed renders through {@link #render(String, Object, PersonalFields)} instead.
   */
  default Map<String, Object> render(String id, V view) {
    throw new UnsupportedOperationException(
        "A view renders through render(id, view) or render(id, view, personal)");
  }

  /**
   * One version as the view's history answers it ({@code GET /api/v1/<collection>/{id}/history},
   * with {@link #history()}): the view right after {@code event}, which a view may describe further
   * (what the event did: a ledger's transaction, a workflow's step). {@code event} is null for an
   * entry the history kept before it kept events. By default the view as a read answers it; the
   * platform decodes a version's event only for a view that overrides this.
   */
  default Map<String, Object> renderVersion(String id, V after, E event, PersonalFields personal) {
    return render(id, after, personal);
  }

  /**
   * The view as the route answers it, its sealed personal values opened through {@code personal}
   * ({@link PersonalFields#put}); what the platform calls. By default {@link #render(String,
   * Object)}: override one of the two.
   *
   * <p>A function of its arguments alone (no clock, no other state): the platform keeps the JSON of
   * the views it answered lately and renders a view again only when its stored value is no longer
   * equal to the one rendered, or a subject was erased since. So give the view value equality (a
   * record does); a view without it is rendered on every read.
   */
  default Map<String, Object> render(String id, V view, PersonalFields personal) {
    return render(id, view);
  }
}
