package io.streamfold.schemas.upcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamfold.schemas.account.AccountEvent;
import io.streamfold.schemas.registry.InMemorySchemaRegistry;
import io.streamfold.schemas.serde.AvroSerde;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UpcastingTest {
  private static final String NAME = AccountEvent.getClassSchema().getFullName();
  private static final SchemaHistory HISTORY = SchemaHistory.fromClasspath();

  @Test
  void findsTheMajorInTheSchemaAndOneWithout() {
    assertThat(Upcasting.major(AccountEvent.getClassSchema())).isEqualTo(2);
    assertThat(Upcasting.major(HISTORY.latestOfMajor(NAME, 1))).isEqualTo(1);
    assertThat(Upcasting.subject("t-value", AccountEvent.getClassSchema())).isEqualTo("t-value-v2");
    assertThat(Upcasting.subject("t-value", HISTORY.latestOfMajor(NAME, 1))).isEqualTo("t-value");
  }

  @Test
  void aMajorChangeWithoutAnUpcasterFailsNamingWhatToWrite() {
    Upcasting none = Upcasting.load(hidingUpcasters(), HISTORY);

    assertThat(none.verify(NAME, 1, HISTORY.latestOfMajor(NAME, 1), AccountEvent.getClassSchema()))
        .singleElement()
        .asString()
        .contains(NAME)
        .contains("no upcaster")
        .contains("META-INF/services/io.streamfold.schemas.upcast.Upcaster");
  }

  @Test
  void anUpcasterWhoseExampleIsWrongFails() {
    Upcaster wrong =
        new Upcaster() {
          @Override
          public String schema() {
            return "T";
          }

          @Override
          public int from() {
            return 1;
          }

          @Override
          public GenericRecord upcast(GenericRecord record, Schema target) {
            GenericRecord out = new GenericData.Record(target);
            out.put("n", (Integer) record.get("n") + 1);
            return out;
          }

          @Override
          public List<Example> examples(Schema source, Schema target) {
            GenericRecord given = new GenericData.Record(source);
            given.put("n", 1);
            GenericRecord then = new GenericData.Record(target);
            then.put("n", 1L);
            return List.of(new Example("n is kept", given, then));
          }
        };
    Schema v1 = record("{\"name\":\"n\",\"type\":\"int\"}", 1);
    Schema v2 = record("{\"name\":\"n\",\"type\":\"long\"}", 2);

    assertThat(Upcasting.of(List.of(wrong), HISTORY).verify("T", 1, v1, v2))
        .singleElement()
        .asString()
        .contains("example \"n is kept\"")
        .contains("expected");
  }

  @Test
  void aReaderRefusesANewerMajorThanItKnows() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Schema newer =
        new Schema.Parser()
            .parse(
                AccountEvent.getClassSchema()
                    .toString()
                    .replace("\"streamfold.major\":2", "\"streamfold.major\":3"));
    int id = registry.register("accounts.events-value-v3", newer);
    byte[] data = {0, 0, 0, 0, (byte) id, 0};

    assertThatThrownBy(() -> AvroSerde.of(AccountEvent.class, registry, false).decode(data))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("major 3")
        .hasMessageContaining("upgrade the readers of an event before its writers");
  }

  private static Schema record(String field, int major) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"T\",\"streamfold.major\":"
                + major
                + ",\"fields\":["
                + field
                + "]}");
  }

  /** The test's class path without any registered upcaster. */
  private static ClassLoader hidingUpcasters() {
    return new ClassLoader(UpcastingTest.class.getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return name.endsWith(Upcaster.class.getName())
            ? Collections.emptyEnumeration()
            : super.getResources(name);
      }
    };
  }
}
