package io.streamfold.projection.query;

import io.streamfold.projection.plugin.PersonalFields;
import io.streamfold.projection.plugin.Versioned;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.service.http.Json;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The JSON bodies of a view's reads rendered lately, so that a view read again unchanged is
 * answered with the bytes written the first time: rendering it through the plug-in into a map and
 * that map through Jackson was half of a single-key read's handler ({@code
 * bench/profiles/2026-12-04-rendered-reads/}).
 *
 * <p>A body is reused only for the value it was rendered from: the stored view equal to it (its
 * version, its gaps and the plug-in's view, which needs value equality, as a record has; without it
 * every read renders anew), and no erasure learnt since ({@link PersonalData#erasures}, read before
 * rendering, so an erasure that lands while a body is rendered makes it stale at once). A body with
 * a personal value that could not be opened (its key not read yet, say) is not kept: that can
 * change without the view changing. Rendering must depend on nothing else (the plug-in's contract:
 * {@code ViewProjection#render}).
 *
 * <p>{@value #SLOTS} slots, indexed by the id's hash: a slot holds the id it was rendered for, so a
 * collision is a miss, never another view's body. No lock: a slot is replaced whole.
 */
final class RenderedViews<V> {
  static final int SLOTS = 8_192;

  /** A body as it leaves: the view it was rendered from, the erasures known then, the JSON. */
  record Body<V>(String id, Versioned<V> found, long erasures, String etag, byte[] json) {}

  private final AtomicReferenceArray<Body<V>> slots = new AtomicReferenceArray<>(SLOTS);
  private final PersonalData personal;
  private final PersonalFields fields;

  RenderedViews(PersonalData personal, PersonalFields fields) {
    this.personal = personal;
    this.fields = fields;
  }

  /**
   * The body of {@code found}, the view of {@code id}: the one rendered before if it still holds,
   * else {@code render} through fields that note a value they could not open, written as JSON.
   */
  Body<V> body(
      String id, Versioned<V> found, Function<PersonalFields, Map<String, Object>> render) {
    int slot = id.hashCode() & (SLOTS - 1);
    long erasures = personal.erasures();
    Body<V> kept = slots.get(slot);
    if (kept != null
        && kept.erasures() == erasures
        && kept.found().version() == found.version()
        && kept.found().missingVersions() == found.missingVersions()
        && kept.id().equals(id)
        && java.util.Objects.equals(kept.found().view(), found.view())) {
      return kept;
    }
    Noting noting = new Noting(fields);
    Body<V> body =
        new Body<>(
            id, found, erasures, "\"" + found.version() + "\"", Json.bytes(render.apply(noting)));
    if (!noting.unreadable) {
      slots.set(slot, body);
    }
    return body;
  }

  /** Opens as {@code fields} do, noting a value that could not be read. */
  private static final class Noting implements PersonalFields {
    private final PersonalFields fields;
    private boolean unreadable;

    Noting(PersonalFields fields) {
      this.fields = fields;
    }

    @Override
    public void put(Map<String, Object> body, String field, String subjectId, String stored) {
      fields.put(body, field, subjectId, stored);
      if (body.get(field + "Unreadable") != null) {
        unreadable = true;
      }
    }
  }
}
