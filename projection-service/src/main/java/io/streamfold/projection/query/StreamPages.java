package io.streamfold.projection.query;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.streamfold.projection.events.EventJson;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.schemas.registry.RegistryUnavailableException;
import io.streamfold.service.http.Json;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;

/**
 * A page of a stream read ({@code GET /api/v1/streams/<collection>/{id}/events}), for every
 * plugged-in view that keeps its history: {@code {"aggregateId", "version", "events": [...],
 * "nextCursor"}}, each event decoded from the bytes the history keeps (as the log holds them) and
 * rendered as a subscription renders it.
 */
final class StreamPages {
  private StreamPages() {}

  /** One version's event as a history keeps it; {@code event} null when it was not kept. */
  record Kept(long version, byte[] event) {}

  /**
   * Answers the page: 503 {@code stream-not-indexed} when an entry was written before its history
   * kept events, 503 {@code registry-unavailable} when an event's schema cannot be fetched.
   *
   * @param version the aggregate's latest version (the answer's {@code ETag})
   * @param limit the page size asked for: a full page has a {@code nextCursor}
   */
  static void answer(
      Context ctx,
      String id,
      long version,
      List<Kept> page,
      int limit,
      Function<byte[], ? extends IndexedRecord> decoder,
      PersonalData personal) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(256 + 320 * page.size());
    try (JsonGenerator out = Json.mapper().getFactory().createGenerator(body)) {
      out.writeStartObject();
      out.writeStringField("aggregateId", id);
      out.writeNumberField("version", version);
      out.writeArrayFieldStart("events");
      for (Kept entry : page) {
        if (entry.event() == null) {
          throw new ProblemException(
              Problem.of(
                  503,
                  "stream-not-indexed",
                  "Stream not indexed",
                  "Version "
                      + entry.version()
                      + " of "
                      + id
                      + " was projected before the history kept events: rebuild the projections"
                      + " under a new APPLICATION_ID to read this stream"));
        }
        IndexedRecord event;
        try {
          event = decoder.apply(entry.event());
        } catch (RegistryUnavailableException e) {
          throw ProblemException.unavailable(
              "registry-unavailable", "The schema registry cannot be used: " + e.getMessage(), 5);
        }
        EventJson.write(out, null, event, personal);
      }
      out.writeEndArray();
      out.writeStringField(
          "nextCursor",
          page.size() == limit ? Long.toString(page.get(page.size() - 1).version() + 1) : null);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.header("ETag", "\"" + version + "\"")
        .contentType("application/json")
        .result(body.toByteArray());
  }
}
