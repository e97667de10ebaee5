package io.streamfold.command;

import io.streamfold.command.aggregate.Aggregate;
import io.streamfold.command.http.AggregateResource;
import io.streamfold.schemas.crypto.PersonalData;
import io.streamfold.schemas.registry.SchemaRegistry;
import io.streamfold.service.config.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.avro.Schema;

/**
 * A domain plugged into the command service: its aggregate types, each with the HTTP resource that
 * parses its commands and renders its events and state. Found with {@link ServiceLoader} ({@code
 * META-INF/services/io.streamfold.command.CommandDomain}), so a domain is a jar on the service's
 * classpath and the engine never names it (an architecture test holds the engine to that).
 *
 * <p>The platform gives each aggregate type its topics ({@code <collection>.events}, {@code
 * .versions}, {@code .idempotency}, {@code .inbox}), partition writers and ownership group (the
 * application id for the first aggregate type of the first domain, as before there were several;
 * {@code <application id>-<collection>} for the others), idempotency, routing and forwarding, its
 * HTTP routes ({@code POST /api/v1/<collection>/{id}/<action>}, {@code GET
 * /api/v1/<collection>/{id}}), problem answers and metrics.
 */
public interface CommandDomain {

  /**
   * Reads the domain's own settings from the environment, failing with a message that names a bad
   * variable; called once before {@link #aggregates}, and to list the variables a service reads.
   */
  default void configure(Env environment) {}

  /** The aggregate types, built for one service instance. */
  List<Plugged<?, ?, ?>> aggregates(Context context);

  /** The Avro contracts the domain's aggregates write, to publish them ahead of a release. */
  List<Contract> contracts();

  /** One aggregate type and its HTTP resource. */
  record Plugged<C, E, S>(Aggregate<C, E, S> aggregate, AggregateResource<C, E, S> resource) {}

  /**
   * An aggregate type's contracts: its events ({@code <collection>.events}, checked {@code
   * BACKWARD_TRANSITIVE}) and its state snapshot (in the version table, {@code FULL_TRANSITIVE}).
   */
  record Contract(String collection, Schema events, Schema state) {}

  /** What the service gives a domain to build its aggregates with. */
  record Context(SchemaRegistry registry, boolean autoRegister, PersonalData personal) {}

  /** Every domain on the classpath; fails when there is none. */
  static List<CommandDomain> load() {
    List<CommandDomain> domains = new ArrayList<>();
    ServiceLoader.load(CommandDomain.class).forEach(domains::add);
    if (domains.isEmpty()) {
      throw new IllegalStateException(
          "No domain on the classpath: add a jar with"
              + " META-INF/services/io.streamfold.command.CommandDomain");
    }
    return domains;
  }
}
